"""gluon.restricted: restricted() runs code, failures become RestrictedError tickets."""

import json

import pytest

from gluon.http import HTTP
from gluon.restricted import RestrictedError, TicketStorage, restricted
from gluon.storage import Storage


def _request(tmp_path):
    folder = tmp_path / "applications" / "app"
    (folder / "errors").mkdir(parents=True)
    return Storage(folder=str(folder) + "/", application="app", client="127.0.0.1")


def test_restricted_runs_code_in_the_environment():
    environment = {"a": 2}
    restricted("b = a * 21", environment, layer="models/db.py")
    assert environment["b"] == 42


def test_a_failure_is_a_restricted_error_that_logs_a_ticket(tmp_path):
    request = _request(tmp_path)
    with pytest.raises(RestrictedError) as caught:
        restricted("1 / 0", {}, layer="controllers/default.py")
    error = caught.value
    assert error.layer == "controllers/default.py" and "ZeroDivisionError" in error.output
    ticket_id = error.log(request)
    ticket = json.loads((tmp_path / "applications/app/errors" / ticket_id).read_text())
    assert ticket["error_type"] == "ZeroDivisionError"
    loaded = RestrictedError()
    loaded.load(request, "app", ticket_id)
    assert "ZeroDivisionError" in loaded.traceback
    assert TicketStorage().load(request, "app", ticket_id)["id"] == ticket_id


def test_http_passes_through():
    with pytest.raises(HTTP):
        restricted("raise HTTP(303)", {"HTTP": HTTP})


def test_ticket_storage_stores_and_loads(tmp_path):
    request = _request(tmp_path)
    ticket_id = "127.0.0.1.2026-01-02.03-04-05.12345678-1234-4234-8234-123456789abc"
    TicketStorage().store(request, ticket_id, {"traceback": "boom"})
    assert TicketStorage().load(request, "app", ticket_id)["traceback"] == "boom"
    assert TicketStorage().load(request, "app", "not-a-ticket") == {}
