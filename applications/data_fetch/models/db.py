# -*- coding: utf-8 -*-
# Data fetch: a table, a JSON API over it, and a page whose script asks that API.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True)

db.define_table(
    "city",
    Field("name", requires=IS_NOT_EMPTY()),
    Field("country", requires=IS_NOT_EMPTY()),
    Field("population", "integer", requires=IS_INT_IN_RANGE(0, 100000000)),
)

if not db(db.city).count():
    db.city.bulk_insert([
        dict(name="Lisbon", country="Portugal", population=545000),
        dict(name="Bologna", country="Italy", population=390000),
        dict(name="Chicago", country="United States", population=2665000),
        dict(name="Nairobi", country="Kenya", population=4397000),
        dict(name="Osaka", country="Japan", population=2753000),
    ])
    db.commit()

# @service.json functions are answered by the call() action in controllers/default.py.
service = Service()
