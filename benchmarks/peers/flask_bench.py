"""The three workloads in Flask, the idiomatic way: pydal defined once at import, Jinja views.

Flask has no Auth of its own, so workload 3 defines eight tables of the same shape with pydal.
Each request takes a connection from pydal's pool and gives it back committed or rolled back.
"""

import os

from flask import Flask, render_template_string
from pydal import DAL, Field

FOLDER = os.environ.get("BENCH_FLASK_DATA", ".")
ROWS_VIEW = """<html><body><table>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.quantity }}</td></tr>
{% endfor %}</table></body></html>"""


def with_database(app: Flask, db: DAL) -> Flask:
    @app.before_request
    def connect():
        db.get_connection_from_pool_or_new()

    @app.teardown_request
    def release(error):
        db.recycle_connection_in_pool_or_close("rollback" if error else "commit")

    return app


hello = Flask("hello")


@hello.get("/")
def say_hello():
    return "Hello World"


rows_db = DAL("sqlite://rows.sqlite", folder=FOLDER, pool_size=10)
rows_db.define_table("item", Field("name"), Field("quantity", "integer"))
if not rows_db(rows_db.item).count():
    for i in range(100):
        rows_db.item.insert(name=f"item {i}", quantity=i)
rows_db.commit()
rows = with_database(Flask("rows"), rows_db)


@rows.get("/")
def show_rows():
    return render_template_string(ROWS_VIEW, rows=rows_db(rows_db.item).select(limitby=(0, 20)))


auth_db = DAL("sqlite://auth.sqlite", folder=FOLDER, pool_size=10)
for name in ("auth_user", "auth_group", "auth_membership", "auth_permission", "auth_event",
             "auth_cas", "item", "note"):
    auth_db.define_table(name, Field("name"), Field("created_on", "datetime"),
                         Field("body", "text"))
auth_db.commit()
authhello = with_database(Flask("authhello"), auth_db)


@authhello.get("/")
def auth_hello():
    return "Hello World"
