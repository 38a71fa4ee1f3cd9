# -*- coding: utf-8 -*-
# The application's database and settings. Models run on every request, in alphabetical order.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True, check_reserved=["all"])

# Generic views (.json, .xml, ...) answer only local requests unless you widen this.
response.generic_patterns = ["*"] if request.is_local else []

# A sample table, so the database browser has something to show.
db.define_table(
    "thing",
    Field("name", requires=IS_NOT_EMPTY()),
    Field("quantity", "integer", default=1, requires=IS_INT_IN_RANGE(0, 10**6)),
    format="%(name)s",
)
