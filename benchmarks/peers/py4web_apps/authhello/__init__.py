"""Workload 3 in py4web: a hello action in an app whose DAL has Auth and two tables of its own."""

import os

from py4web import DAL, Field, Session, action
from py4web.utils.auth import Auth

FOLDER = os.path.join(os.path.dirname(__file__), "databases")
os.makedirs(FOLDER, exist_ok=True)
db = DAL("sqlite://storage.db", folder=FOLDER)
session = Session(secret="Bench-Only-Secret-9f0e#1E6a5b3c2d10XyZ!")
auth = Auth(session, db, define_tables=True)
db.define_table("item", Field("name"), Field("quantity", "integer"), auth.signature)
db.define_table("note", Field("item", "reference item"), Field("body", "text"))
db.commit()


@action("index")
def index():
    return "Hello World"
