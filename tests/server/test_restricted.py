"""server.restricted: a code object runs too; the error keeps the traceback text."""

import pytest

from server.restricted import RestrictedError, restricted


def test_code_objects_and_traceback_text():
    environment = {}
    restricted(compile("x = 1", "m.py", "exec"), environment)
    assert environment["x"] == 1
    with pytest.raises(RestrictedError) as caught:
        restricted("raise KeyError('k')", {}, layer="m.py")
    assert "KeyError" in caught.value.traceback and str(caught.value).startswith("KeyError")


TICKET_ID = "127.0.0.1.2026-01-01.00-00-00.00000000-0000-4000-8000-000000000000"


def test_ticket_storage_with_a_db_keeps_tickets_in_web2pys_table(tmp_path):
    from pydal import DAL

    from server.restricted import TicketStorage
    from server.storage import Storage

    db = DAL("sqlite://tickets.sqlite", folder=str(tmp_path))
    request = Storage(application="shop", folder=str(tmp_path / "shop"), now=None)
    storage = TicketStorage(db=db)
    storage.store(request, TICKET_ID, {"layer": "models/db.py", "traceback": "boom"})
    assert db(db.web2py_ticket_shop.ticket_id == TICKET_ID).count() == 1
    assert storage.load(request, "shop", TICKET_ID)["layer"] == "models/db.py"
    assert storage.load(request, "shop", TICKET_ID.replace("0000-4000", "0000-4001")) == {}
    assert storage.load(request, "shop", "../../etc/passwd") == {}
    assert not (tmp_path / "shop").exists()  # nothing went to errors/
    request.tickets_db = db
    error = RestrictedError()
    error.load(request, "shop", TICKET_ID)
    assert (error.layer, error.traceback) == ("models/db.py", "boom")
    db.close()
