"""Listing, loading and deleting tickets written by real failures (the desktop's ticket API)."""

from __future__ import annotations

import sys
import time
from datetime import datetime

import pytest

from server.manage.tickets import delete_all_tickets, delete_ticket, list_tickets, load_ticket
from server.tickets import create_ticket, request_snapshot

ENVIRON = {"REQUEST_METHOD": "POST", "wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:8000",
           "PATH_INFO": "/shop/default/buy", "QUERY_STRING": "item=3", "REMOTE_ADDR": "127.0.0.1"}


def make_ticket(app_folder) -> str:
    """A ticket of a real ZeroDivisionError, as a failing request would leave it."""
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        return create_ticket(app_folder, "shop", "127.0.0.1", sys.exc_info(),
                             request_snapshot(ENVIRON, {"item": "3"}))
    raise AssertionError("the division should have failed")


def test_list_is_newest_first_and_skips_damaged_files(tmp_path):
    first = make_ticket(tmp_path)
    time.sleep(0.01)
    second = make_ticket(tmp_path)
    errors = tmp_path / "errors"
    damaged = second.replace(second[-36:], "0" * 8 + "-0000-0000-0000-" + "0" * 12)
    (errors / damaged).write_text("{not json", encoding="utf-8")
    (errors / "README.txt").write_text("not a ticket", encoding="utf-8")
    summaries = list_tickets(tmp_path)
    assert [s.id for s in summaries] == [second, first]
    top = summaries[0]
    assert top.error_type == "ZeroDivisionError"
    assert top.message == "division by zero"
    assert top.url.startswith("http://127.0.0.1:8000/shop/default/buy")
    assert isinstance(top.time, datetime)
    with pytest.raises(ValueError, match="damaged"):
        load_ticket(tmp_path, damaged)


def test_list_of_an_app_without_errors_folder_is_empty(tmp_path):
    assert list_tickets(tmp_path / "nowhere") == []
    assert delete_all_tickets(tmp_path / "nowhere") == 0


@pytest.mark.parametrize("bad", ["../../etc/passwd", "x", "", "/abs.2024-01-01.00-00-00.x",
                                 "127.0.0.1.2024-01-01.00-00-00.not-a-uuid", None])
def test_bad_ids_are_refused_before_touching_files(tmp_path, bad):
    with pytest.raises(ValueError):
        load_ticket(tmp_path, bad)
    with pytest.raises(ValueError):
        delete_ticket(tmp_path, bad)


def test_missing_ticket_is_file_not_found(tmp_path):
    ticket_id = make_ticket(tmp_path)
    delete_ticket(tmp_path, ticket_id)
    with pytest.raises(FileNotFoundError):
        load_ticket(tmp_path, ticket_id)
    assert delete_ticket(tmp_path, ticket_id) is False


def test_delete_all_keeps_other_files(tmp_path):
    for _ in range(3):
        make_ticket(tmp_path)
    (tmp_path / "errors" / "keep.txt").write_text("mine", encoding="utf-8")
    assert delete_all_tickets(tmp_path) == 3
    assert list_tickets(tmp_path) == []
    assert (tmp_path / "errors" / "keep.txt").exists()


def test_the_listing_reads_only_the_tickets_that_changed(tmp_path):
    import json as json_module

    from server.manage.tickets import TicketListing
    from server.tickets import ERRORS_FOLDER

    errors = tmp_path / ERRORS_FOLDER
    errors.mkdir()

    def write(ticket_id: str, when: str) -> None:
        (errors / ticket_id).write_text(json_module.dumps(
            {"time": when, "error_type": "KeyError", "message": ticket_id, "request": {}}))

    uuid = "12345678-1234-1234-1234-1234567890ab"
    first, second = (f"127.0.0.1.2026-01-01.10-00-00.{uuid}",
                     f"127.0.0.1.2026-01-01.11-00-00.{uuid}")
    write(first, "2026-01-01T10:00:00")
    listing = TicketListing(tmp_path)
    added, removed = listing.changes()
    assert [s.id for s in added] == [first] and removed == []
    assert listing.changes() == ([], [])
    (errors / first).write_text("damaged now, but already listed")  # not read again
    write(second, "2026-01-01T11:00:00")
    (errors / "not-a-ticket.txt").write_text("x")
    added, removed = listing.changes()
    assert [s.id for s in added] == [second] and removed == []
    (errors / first).unlink()
    assert listing.changes() == ([], [first])
    assert list(listing.summaries) == [second]
