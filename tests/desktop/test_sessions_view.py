"""SessionsView: sessions made by real requests are listed, shown as a tree and deleted."""

from __future__ import annotations

import os
import time

import pytest
from pydal._globals import THREAD_LOCAL
from support import Browser, write_app

from desktop.sessions_view import SessionsView
from server.manage import dbinspect

CONTROLLER = """
def index():
    session.counter = (session.counter or 0) + 1
    session.cart = dict(items=['apple', 'pear'], total=3)
    return dict(counter=session.counter)

def login():
    session.auth = dict(user=dict(id=42, email='a@b.c'))
    return dict(ok=True)
"""


@pytest.fixture
def app(root):
    return write_app(root, "shop", {"controllers/default.py": CONTROLLER})


@pytest.fixture
def view(qtbot, root, app):
    widget = SessionsView(root)
    qtbot.addWidget(widget)
    listed(qtbot, widget, lambda: widget.set_application("shop"))
    return widget


def listed(qtbot, view, action=None):
    """Do ``action`` (a refresh by default) and wait until the list shows what it read."""
    with qtbot.waitSignal(view.listUpdated, timeout=10000):
        (action or view.refresh)()


def rows(view):
    return [[view.list.topLevelItem(i).text(c) for c in range(4)]
            for i in range(view.list.topLevelItemCount())]


def values(item):
    return {item.child(i).text(0): item.child(i) for i in range(item.childCount())}


def session_cookie(browser, app_name):
    return next(c.value for c in browser.cookies if c.name == f"session_id_{app_name}")


def test_no_application(qtbot, root):
    widget = SessionsView(root)
    qtbot.addWidget(widget)
    assert "No application" in widget.status_label.text()
    assert not widget.delete_expired_button.isEnabled()


def test_session_from_a_real_request_is_listed_shown_and_deleted(qtbot, view, app, root,
                                                                  live_server, browser):
    base_url = live_server(root)
    assert browser.get(f"{base_url}/shop/default/index").status == 200
    browser.get(f"{base_url}/shop/default/index")
    session_id = session_cookie(browser, "shop")
    listed(qtbot, view)
    [[listed_id, modified, size, user]] = rows(view)
    assert listed_id == session_id and int(size) > 0 and user == ""
    assert modified[:4].isdigit()

    view.list.setCurrentItem(view.list.topLevelItem(0))
    tree = view.values_tree
    top = {tree.topLevelItem(i).text(0): tree.topLevelItem(i)
           for i in range(tree.topLevelItemCount())}
    assert top["counter"].text(1) == "2"
    cart = values(top["cart"])
    assert cart["total"].text(1) == "3"
    assert [values(cart["items"])[k].text(1) for k in ("[0]", "[1]")] == ["'apple'", "'pear'"]

    questions = []
    view.confirm = lambda question: questions.append(question) or True
    listed(qtbot, view, view.delete_button.click)
    assert questions == [f"Delete session {session_id}?"]
    assert rows(view) == [] and not (app / "sessions" / session_id).exists()


def test_user_id_shown_when_auth_is_in_the_session(qtbot, view, root, live_server, browser):
    base_url = live_server(root)
    browser.get(f"{base_url}/shop/default/login")
    listed(qtbot, view)
    assert rows(view)[0][3] == "42"


def test_delete_expired_uses_the_age_setting(qtbot, view, app, root, live_server, browser,
                                             http):
    base_url = live_server(root)
    browser.get(f"{base_url}/shop/default/index")
    old_id = session_cookie(browser, "shop")
    fresh = Browser()
    fresh.get(f"{base_url}/shop/default/index")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(app / "sessions" / old_id, (two_hours_ago, two_hours_ago))
    listed(qtbot, view)
    assert len(rows(view)) == 2

    view.confirm = lambda _question: False
    view.max_age_spin.setValue(60)
    view.delete_expired_button.click()
    assert len(rows(view)) == 2
    view.confirm = lambda _question: True
    listed(qtbot, view, view.delete_expired_button.click)
    assert [row[0] for row in rows(view)] == [session_cookie(fresh, "shop")]
    assert view.status_label.text() == "Deleted 1 expired session(s)."


def test_unreadable_session_file_is_reported_not_raised(qtbot, view, app):
    (app / "sessions" / ("a" * 32)).write_bytes(b"not a pickle")
    listed(qtbot, view)
    view.list.setCurrentItem(view.list.topLevelItem(0))
    assert "cannot be read" in view.status_label.text()
    assert view.values_tree.topLevelItemCount() == 0


def test_database_sessions_are_listed_beside_file_sessions(qtbot, root, live_server, browser):
    write_app(root, "dbapp", {"controllers/default.py": CONTROLLER, "models/db.py": (
        "db = DAL('sqlite://storage.sqlite')\nsession.connect(request, response, db=db)\n")})
    base_url = live_server(root)
    browser.get(f"{base_url}/dbapp/default/index")
    view = SessionsView(root)
    qtbot.addWidget(view)
    listed(qtbot, view, lambda: view.set_application("dbapp"))
    [[record_id, _modified, _size, _user]] = rows(view)
    assert view.list.topLevelItem(0).text(4) == "database db (web2py_session_dbapp)"
    assert "stored in files, database db" in view.status_label.text()
    view.list.setCurrentItem(view.list.topLevelItem(0))
    assert view.values_tree.topLevelItem(0).text(0) == "counter"
    view.confirm = lambda _question: True
    listed(qtbot, view, view.delete_button.click)
    assert rows(view) == []
    assert view.status_label.text() == f"Deleted session {record_id}."


DB_MODEL = "db = DAL('sqlite://storage.sqlite')\nsession.connect(request, response, db=db)\n"


def is_connected(db):
    return getattr(THREAD_LOCAL, db._adapter._connection_uname_, None) is not None


def test_databases_handed_over_are_used_and_left_to_their_owner(qtbot, root, live_server,
                                                                  browser):
    write_app(root, "dbapp", {"controllers/default.py": CONTROLLER, "models/db.py": DB_MODEL})
    browser.get(f"{live_server(root)}/dbapp/default/index")
    databases = dbinspect.app_databases(root, "dbapp")
    view = SessionsView(root)
    qtbot.addWidget(view)
    listed(qtbot, view, lambda: view.set_application("dbapp", databases))
    assert view.sources[1].db is databases["db"] and len(rows(view)) == 1
    view.set_application(None)
    assert is_connected(databases["db"])  # the owner's to close, not the view's
    databases["db"].close()


def test_databases_of_its_own_model_run_are_closed_for_the_next_app(qtbot, root, live_server,
                                                                      browser):
    write_app(root, "dbapp", {"controllers/default.py": CONTROLLER, "models/db.py": DB_MODEL})
    browser.get(f"{live_server(root)}/dbapp/default/index")
    view = SessionsView(root)
    qtbot.addWidget(view)
    listed(qtbot, view, lambda: view.set_application("dbapp"))
    own = view.sources[1].db
    assert is_connected(own) and len(rows(view)) == 1
    view.set_application(None)
    assert not is_connected(own)


def test_new_sessions_show_up_by_themselves_while_the_panel_shows(qtbot, view, root,
                                                                   live_server, browser):
    view.show()
    base_url = live_server(root)
    browser.get(f"{base_url}/shop/default/index")
    qtbot.waitUntil(lambda: len(rows(view)) == 1, timeout=10000)  # no Refresh pressed
    view.list.setCurrentItem(view.list.topLevelItem(0))
    with qtbot.waitSignal(view.listUpdated, timeout=10000):
        pass  # the next poll finds nothing new: the selection and its values stay
    assert view.selected_session_id() == session_cookie(browser, "shop")
    assert view.values_tree.topLevelItemCount() > 0


def test_database_sessions_are_polled_while_the_panel_shows(qtbot, root, live_server, browser):
    write_app(root, "dbapp", {"controllers/default.py": CONTROLLER, "models/db.py": DB_MODEL})
    base_url = live_server(root)
    browser.get(f"{base_url}/dbapp/default/index")  # the session table exists from here on
    view = SessionsView(root)
    qtbot.addWidget(view)
    listed(qtbot, view, lambda: view.set_application("dbapp"))
    view.show()
    Browser().get(f"{base_url}/dbapp/default/index")
    qtbot.waitUntil(lambda: len(rows(view)) == 2, timeout=10000)
    assert {view.list.topLevelItem(row).text(4) for row in (0, 1)} == {
        "database db (web2py_session_dbapp)"}


def test_the_three_refresh_buttons_have_distinct_names(qtbot, root):
    from desktop.database_browser import DatabaseBrowser
    from desktop.tickets_view import TicketsView

    panels = [SessionsView(root), TicketsView(root), DatabaseBrowser(root)]
    for panel in panels:
        qtbot.addWidget(panel)
    names = {panel.refresh_button.accessibleName() for panel in panels}
    assert names == {"Refresh sessions", "Refresh tickets", "Refresh tables and rows"}
