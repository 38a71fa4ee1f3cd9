"""Workload 2 in py4web: 20 of 100 rows through a template; the DAL is defined once, at import."""

import os

from py4web import DAL, Field, action

FOLDER = os.path.join(os.path.dirname(__file__), "databases")
os.makedirs(FOLDER, exist_ok=True)
db = DAL("sqlite://storage.db", folder=FOLDER)
db.define_table("item", Field("name"), Field("quantity", "integer"))
if not db(db.item).count():
    for i in range(100):
        db.item.insert(name=f"item {i}", quantity=i)
db.commit()


@action("index")
@action.uses("rows.html", db)
def index():
    return dict(rows=db(db.item).select(limitby=(0, 20)))
