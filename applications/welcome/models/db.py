# -*- coding: utf-8 -*-
# The application's database and settings. Models run on every request, in alphabetical order.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True, check_reserved=["all"])

# Generic views (.json, .xml, ...) answer only local requests unless you widen this.
response.generic_patterns = ["*"] if request.is_local else []

# Users, groups and permissions: /welcome/default/user/login, /register, /logout, /profile, ...
auth = Auth(db)
auth.settings.registration_requires_verification = False
auth.settings.registration_requires_approval = False
auth.define_tables(username=False, signature=False)

# Mail: with no server set, each mail is kept as an .eml file in private/mail (works offline).
mail = auth.settings.mailer
mail.settings.server = None  # e.g. "smtp.example.com:587"
mail.settings.sender = "you@example.com"
mail.settings.login = None  # "username:password"

# Services: decorate functions with @service.json (or xml, csv, run) and call them through call().
service = Service()

# A sample table, so the database browser has something to show.
db.define_table(
    "thing",
    Field("name", requires=IS_NOT_EMPTY()),
    Field("quantity", "integer", default=1, requires=IS_INT_IN_RANGE(0, 10**6)),
    format="%(name)s",
)
