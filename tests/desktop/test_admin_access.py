from event_loop import HASH_WAIT_MS, finished_later
from scripted_ask import ScriptedAsk

from desktop.admin_access import AdminPassword
from server.hosting import admin_password


def test_ensure_asks_only_when_no_password_is_set(qtbot, root):
    access = AdminPassword(root, ScriptedAsk(new_password=["first"]))
    ran = []
    with qtbot.waitSignal(access.changed, timeout=HASH_WAIT_MS):
        access.ensure(lambda: ran.append("then"))
    qtbot.waitUntil(lambda: ran == ["then"])
    access.ensure(lambda: ran.append("again"))
    assert ran == ["then", "again"]
    assert [name for name, _args in access.ask.asked] == ["new_password"]
    assert admin_password.check_password(root, 8000, "first")
    assert "set" in access.describe() and "appadmin" in access.describe()


def test_a_cancelled_question_runs_nothing_and_stores_nothing(qtbot, root):
    access = AdminPassword(root, ScriptedAsk())
    ran = []
    access.ensure(lambda: ran.append("then"))
    assert ran == [] and not access.is_set
    assert "not set" in access.describe()


def test_the_slow_hash_is_made_off_the_gui_thread(qtbot, root):
    access = AdminPassword(root, ScriptedAsk(new_password=["pw"]))
    with finished_later(qtbot, access.changed, timeout=10000):
        access.change()  # the pbkdf2 hash alone takes about 0.7 s


def test_a_folder_that_cannot_be_written_is_reported(qtbot, tmp_path):
    access = AdminPassword(tmp_path / "missing", ScriptedAsk(new_password=["pw"]))
    with qtbot.waitSignal(access.failed, timeout=HASH_WAIT_MS):  # hashed, then refused
        access.change()
    assert access.ask.errors and "Could not store" in access.ask.errors[0]
