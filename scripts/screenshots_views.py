"""Screenshots of the database, tickets and sessions panels for the docs.

    .venv/bin/python scripts/screenshots_views.py [--out docs]

Like ``scripts/screenshots.py`` (whose Xvfb set-up it reuses) it re-runs itself on a virtual
screen. Each panel is shown on its own, larger than its dock, on a throw-away app whose database,
tickets and sessions come from real requests to a real server.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_ROOT))
sys.path.insert(0, str(SOURCE_ROOT / "scripts"))

from screenshots import DISPLAY_NUMBER, screenshot_main, wait  # noqa: E402

PANEL_SIZE = (1200, 720)
MODEL = """
db = DAL('sqlite://storage.sqlite')
db.define_table('product',
    Field('title', requires=IS_NOT_EMPTY()),
    Field('price', 'double', requires=IS_FLOAT_IN_RANGE(0, 10000)),
    Field('in_stock', 'boolean', default=True),
    Field('added', 'date'))
if not db(db.product).count():
    import datetime
    names = ['Green tea', 'Black tea', 'Oolong', 'Rooibos', 'Chai', 'Matcha', 'Earl Grey']
    db.product.bulk_insert([
        dict(title='%s %d' % (names[i % len(names)], i), price=round(2.5 + (i * 1.7) % 40, 2),
             in_stock=bool(i % 3), added=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
        for i in range(1, 501)])
    db.commit()
"""
CONTROLLER = """
def index():
    session.visits = (session.visits or 0) + 1
    session.cart = dict(items=['Green tea 7', 'Matcha 12'], total=14.9)
    return dict(visits=session.visits)

def login():
    session.auth = dict(user=dict(id=3, email='ana@example.com'), expiration=3600)
    return dict(ok=True)

def checkout():
    cart = session.cart or {}
    discount = 0
    return dict(per_item=cart.get('total', 0) / discount)
"""


def prepare_root() -> Path:
    """A temporary root with one app, ``shop`` (the real root stays untouched)."""
    root = Path(tempfile.mkdtemp(prefix="pocketweb-views-"))
    app = root / "applications" / "shop"
    for folder in ("models", "controllers", "views", "databases", "sessions", "errors"):
        (app / folder).mkdir(parents=True)
    (app / "models" / "db.py").write_text(MODEL.lstrip(), encoding="utf-8")
    (app / "controllers" / "default.py").write_text(CONTROLLER.lstrip(), encoding="utf-8")
    return root


def make_traffic(root: Path) -> None:
    """Real requests: three visitors (one logged in) and two failing checkouts."""
    from server.hosting.httpd import WebServer
    from server.wsgi import make_application

    server = WebServer(make_application(root), "127.0.0.1", 0)
    server.start()
    try:
        for path in ("index", "login", "index", "checkout", "nosuch", "checkout"):
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
            try:
                opener.open(f"{server.url}/shop/default/{path}", timeout=10).read()
            except OSError:
                pass  # the failing actions are the point: they leave tickets
            time.sleep(1.1 if path == "checkout" else 0)
    finally:
        server.stop()


def after(signal, action) -> None:
    """Run ``action`` and wait (at most 20 s) for ``signal``: the panels read on workers."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(20_000, loop.quit)
    action()
    loop.exec()


def database_shot(root: Path):
    from desktop.database_browser import DatabaseBrowser

    view = DatabaseBrowser(root)
    after(view.tablesListed, lambda: view.set_application("shop"))
    view.open_table("product")
    view.filters.query_edit.setText("db.product.price < 20")
    view.filters.column_filters.edits["title"].setText("tea")
    view.apply_filters()
    view.tables_tree.expandAll()
    view.model.setData(view.model.index(2, 2), "-4")
    view.view.setCurrentIndex(view.model.index(0, 1))
    view.view.fit_columns()
    return view


def tickets_shot(root: Path):
    from desktop.tickets_view import TicketsView

    view = TicketsView(root)
    after(view.listUpdated, lambda: view.set_application("shop"))
    view.list.setCurrentItem(view.list.topLevelItem(0))
    frames = view.frames_tree
    last = frames.topLevelItem(frames.topLevelItemCount() - 1)
    frames.collapseAll()
    frames.expandItem(last)
    for index in range(last.childCount()):
        frames.expandItem(last.child(index))
    frames.resizeColumnToContents(0)
    return view


def sessions_shot(root: Path):
    from desktop.sessions_view import SessionsView

    view = SessionsView(root)
    after(view.listUpdated, lambda: view.set_application("shop"))
    view.list.setCurrentItem(view.list.topLevelItem(0))
    for column in range(4):
        view.list.resizeColumnToContents(column)
    view.values_tree.resizeColumnToContents(0)
    return view


SHOTS = (("database-browser.png", database_shot), ("tickets.png", tickets_shot),
         ("sessions.png", sessions_shot))


def take_screenshots(out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    app.setStyle("Fusion")
    root = prepare_root()
    try:
        make_traffic(root)
        for name, build in SHOTS:
            view = build(root)
            view.resize(*PANEL_SIZE)
            view.show()
            wait(400)
            view.grab().save(str(out / name))
            print("saved", out / name, flush=True)
            view.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def main() -> int:
    return screenshot_main(__doc__.splitlines()[0], take_screenshots, __file__,
                           DISPLAY_NUMBER + 1)


if __name__ == "__main__":
    sys.exit(main())
