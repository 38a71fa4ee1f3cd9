"""server/ticket_tables.py: web2py's tickets in a database, written by real failing requests
(``request.tickets_db``, ``private/ticket_storage.txt``) and read back by the desktop's ticket
API beside file tickets (real SQLite, the real WSGI pipeline)."""

from __future__ import annotations

import json
import logging

import pytest
from pydal import DAL
from support import assert_answer, write_app

from server import ticket_tables
from server.manage.tickets import TicketListing, delete_all_tickets, delete_ticket, list_tickets, load_ticket

FAILING = """
def boom():
    db.thing.insert(name='rolled back')
    1 / 0
"""
TICKETS_DB_MODEL = """
db = DAL('sqlite://storage.sqlite')
db.define_table('thing', Field('name'))
request.tickets_db = db
"""
STORAGE_FILE_MODEL = """
db = DAL('sqlite://storage.sqlite')
db.define_table('thing', Field('name'))
"""


def fail(base: str, http) -> str:
    """GET the failing page; the ticket id its 500 names."""
    answer = http(f"{base}/shop/default/boom")
    assert_answer(answer, 500, "Ticket issued")
    return answer.headers["web2py_error"].split("/", 1)[1]


def open_db(app, name="storage.sqlite"):
    return DAL(f"sqlite://{name}", folder=str(app / "databases"), auto_import=True)


def test_request_tickets_db_stores_the_ticket_in_web2pys_table_after_the_rollback(
        root, wsgi_server, http):
    app = write_app(root, "shop", {"models/db.py": TICKETS_DB_MODEL,
                                   "controllers/default.py": FAILING})
    ticket_id = fail(wsgi_server(root), http)
    assert not (app / "errors").exists() or not list((app / "errors").iterdir())
    db = open_db(app)
    try:
        (row,) = db(db.web2py_ticket_shop).select()
        assert row.ticket_id == ticket_id and row.created_datetime is not None
        ticket = json.loads(row.ticket_data)
        assert ticket["error_type"] == "ZeroDivisionError" and ticket["id"] == ticket_id
        assert db(db.thing).isempty()  # the request's own work was rolled back
    finally:
        db.close()


def test_ticket_storage_txt_stores_tickets_and_the_desktop_lists_shows_and_deletes_them(
        root, wsgi_server, http):
    app = write_app(root, "shop", {"models/db.py": STORAGE_FILE_MODEL,
                                   "controllers/default.py": FAILING,
                                   "private/ticket_storage.txt": "sqlite://tickets.sqlite\n"})
    base = wsgi_server(root)
    listing = TicketListing(app)
    assert listing.changes() == ([], [])
    in_db = fail(base, http)
    (app / "private" / "ticket_storage.txt").rename(app / "private" / "aside")
    on_disk = fail(base, http)  # without the file, tickets go to errors/ again
    (app / "private" / "aside").rename(app / "private" / "ticket_storage.txt")
    assert [entry.name for entry in (app / "errors").iterdir()] == [on_disk]
    assert [summary.id for summary in list_tickets(app)] == [on_disk, in_db]
    added, _ = listing.changes()
    assert {summary.id for summary in added} == {in_db, on_disk}
    assert load_ticket(app, in_db)["error_type"] == "ZeroDivisionError"
    assert delete_ticket(app, in_db) and not delete_ticket(app, in_db)
    assert listing.changes() == ([], [in_db])
    with pytest.raises(FileNotFoundError):
        load_ticket(app, in_db)
    fail(base, http)
    assert delete_all_tickets(app) == 2 and list_tickets(app) == []


def test_a_ticket_database_that_cannot_be_used_leaves_the_ticket_in_errors(
        root, wsgi_server, http, caplog):
    app = write_app(root, "shop", {"models/db.py": STORAGE_FILE_MODEL,
                                   "controllers/default.py": FAILING,
                                   "private/ticket_storage.txt": "nosuchengine://nowhere"})
    with caplog.at_level(logging.ERROR, logger="pocketweb.ticket_tables"):
        ticket_id = fail(wsgi_server(root), http)
    assert (app / "errors" / ticket_id).is_file()
    assert "cannot open the ticket database" in caplog.text
    assert [summary.id for summary in list_tickets(app)] == [ticket_id]


def test_a_damaged_row_is_refused_and_skipped_by_the_listing(tmp_path):
    (tmp_path / "databases").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "ticket_storage.txt").write_text("sqlite://tickets.sqlite")
    ticket_id = "127.0.0.1.2026-01-01.00-00-00.00000000-0000-4000-8000-000000000000"
    with ticket_tables.configured_db(tmp_path) as db:
        ticket_tables.ticket_table(db, tmp_path.name).insert(ticket_id=ticket_id,
                                                             ticket_data="{not json")
        db.commit()
        with pytest.raises(ValueError, match="damaged"):
            ticket_tables.load(db, tmp_path.name, ticket_id)
    assert list_tickets(tmp_path) == []


def test_the_storage_file_is_read_as_one_connection_string(tmp_path):
    assert ticket_tables.configured_uri(tmp_path) is None
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "ticket_storage.txt").write_text(" postgres://a@b/c\r\n")
    assert ticket_tables.configured_uri(tmp_path) == "postgres://a@b/c"
    (tmp_path / "private" / "ticket_storage.txt").write_text("\n")
    assert ticket_tables.configured_uri(tmp_path) is None
