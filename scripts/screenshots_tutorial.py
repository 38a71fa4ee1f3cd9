"""Screenshots for docs/tutorial.md: the window and the pages of the tutorial's "shelf" app.

    .venv/bin/python scripts/screenshots_tutorial.py [--out docs/tutorial]

Like ``scripts/screenshots.py`` (whose Xvfb set-up it reuses) it re-runs itself on a virtual
screen. It follows the tutorial on a throw-away root: creates ``shelf`` from welcome, adds the
tutorial's code step by step (the same text as in docs/tutorial.md) and photographs the window
with the real dialogs and panels, and the pages in headless Chromium (``apt-get install -y
chromium``) as the tutorial's reader sees them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_ROOT))
sys.path.insert(0, str(SOURCE_ROOT / "scripts"))

from screenshots import (  # noqa: E402
    DISPLAY_NUMBER,
    WINDOW_SIZE,
    PrintingAsk,
    screenshot_main,
    wait,
    wait_for,
)

# The tutorial's code, step by step; docs/tutorial.md shows exactly these lines.
MODEL = '''
db.define_table(
    "book",
    Field("title", requires=IS_NOT_EMPTY()),
    Field("author", requires=IS_NOT_EMPTY()),
    Field("published", "integer", requires=IS_INT_IN_RANGE(1450, 2100)),
    format="%(title)s",
)
'''
BOOKS = '''

def books():
    """Every book in a grid: search, sort, view, edit and delete come with it."""
    return dict(grid=SQLFORM.grid(db.book))


def add():
    """A form made from the table; process() validates and inserts."""
    form = SQLFORM(db.book).process()
    if form.accepted:
        session.flash = T("Book added")
        redirect(URL("books"))
    return dict(form=form)
'''
BOOKS_VIEW = '''{{extend 'layout.html'}}
<h1>Books</h1>
<p>{{=A("Add a book", _href=URL("add"), _class="button")}}</p>
{{=grid}}
'''
ADD_VIEW = '''{{extend 'layout.html'}}
<h1>Add a book</h1>
{{=form}}
'''
LOGIN_ONLY = ("def add():", "@auth.requires_login()\ndef add():")
BROKEN_STATS = '''

def stats():
    return dict(books=db(db.books).count())
'''
FIXED_STATS = BROKEN_STATS.replace("db.books", "db.book")
SAMPLE_BOOKS = (("Dune", "Frank Herbert", "1965"), ("Kindred", "Octavia E. Butler", "1979"),
                ("The Left Hand of Darkness", "Ursula K. Le Guin", "1969"))


def add_code(app: Path, relative: str, text: str) -> Path:
    path = app / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((path.read_text() if path.exists() else "") + text, encoding="utf-8")
    return path


def replace_code(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new), encoding="utf-8")


def grab(widget, out: Path, name: str) -> None:
    wait(400)
    widget.grab().save(str(out / name))
    print("saved", out / name, flush=True)


class Pages:
    """The tutorial's pages in headless Chromium."""

    def __init__(self, browser, base: str, out: Path):
        self.page = browser.new_page(viewport={"width": 1100, "height": 700})
        self.base, self.out = base, out

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}/shelf/default/{path}")

    def add_book(self, title: str, author: str, published: str) -> None:
        for label, value in (("Title", title), ("Author", author), ("Published", published)):
            self.page.get_by_label(label, exact=True).fill(value)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Submit").click()

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.out / name), full_page=True)
        print("saved", self.out / name, flush=True)


def make_window(root: Path):
    from desktop.main_window import MainWindow
    from server.hosting.httpd import free_port

    window = MainWindow(root, "127.0.0.1", free_port(), ask=PrintingAsk())
    window.resize(*WINDOW_SIZE)
    window.set_theme("light")
    window.show()
    window.server_panel.start_server()
    return window


def stop_server(window) -> None:
    """Stop, and wait for the panel's worker to say so before the window goes away."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    window.server_panel.serverStopped.connect(loop.quit)
    window.server_panel.stop_server()
    if window.server_panel.running:
        loop.exec()


def new_application_shot(window, root: Path, out: Path) -> None:
    from desktop.dialogs import NewApplicationDialog
    from server.manage import apps

    dialog = NewApplicationDialog(apps.starting_points(root), window)
    dialog.name.setText("shelf")
    dialog.show()
    grab(dialog, out, "new-application.png")
    dialog.close()
    apps.create_app(root, "shelf", "welcome")  # what OK does
    window.apps_tree.refresh()


def tickets_shot(window, out: Path) -> None:
    tickets = window.data_views[1]
    tickets.set_application("shelf")
    wait_for(lambda: tickets.list.topLevelItemCount() > 0)  # the list is read on a worker
    tickets.list.setCurrentItem(tickets.list.topLevelItem(0))
    frames = tickets.frames_tree
    wait_for(lambda: frames.topLevelItemCount() > 0)
    frames.expandItem(frames.topLevelItem(0))  # the app's own frame: controllers/default.py
    frames.resizeColumnToContents(0)
    tickets.parentWidget().raise_()
    grab(window, out, "tickets.png")


def take_screenshots(out: Path) -> int:
    from chromium import launch
    from playwright.sync_api import sync_playwright
    from PySide6.QtWidgets import QApplication

    from desktop.dialogs import PackDialog
    from server.manage import apps

    application = QApplication(sys.argv)
    application.setStyle("Fusion")
    root = Path(tempfile.mkdtemp(prefix="pocketweb-tutorial-"))
    (root / "applications").mkdir()
    shutil.copytree(SOURCE_ROOT / "applications" / "welcome", root / "applications" / "welcome",
                    ignore=shutil.ignore_patterns("databases", "sessions", "errors", "__pycache__"))
    window = make_window(root)
    try:
        new_application_shot(window, root, out)
        app = root / "applications" / "shelf"
        model = add_code(app, "models/db.py", MODEL)
        controller = add_code(app, "controllers/default.py", BOOKS)
        add_code(app, "views/default/books.html", BOOKS_VIEW)
        add_code(app, "views/default/add.html", ADD_VIEW)
        window.apps_tree.refresh()
        window.apps_tree.select_path(model)
        window.open_file(model, len(model.read_text().splitlines()))
        grab(window, out, "model.png")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            pages = Pages(browser, window.server_panel.url, out)
            pages.go("add")
            pages.add_book("", "Frank Herbert", "65")
            pages.shot("form-errors.png")
            for book in SAMPLE_BOOKS:
                pages.go("add")
                pages.add_book(*book)
            pages.shot("grid.png")
            replace_code(controller, *LOGIN_ONLY)
            pages.go("add")
            pages.shot("login-required.png")
            add_code(app, "controllers/default.py", BROKEN_STATS)
            pages.go("stats")
            pages.shot("ticket-page.png")
            window.open_file(controller, len(controller.read_text().splitlines()))
            tickets_shot(window, out)
            replace_code(controller, BROKEN_STATS, FIXED_STATS)
            pages.go("stats")
            pages.shot("fixed.png")
            browser.close()
        pack = PackDialog("shelf", root / apps.default_archive_name("shelf"), window)
        pack.show()
        grab(pack, out, "pack.png")
        pack.close()
    finally:
        stop_server(window)
        window.close()
        shutil.rmtree(root, ignore_errors=True)
    return 0


def main() -> int:
    return screenshot_main(__doc__.splitlines()[0], take_screenshots, __file__,
                           DISPLAY_NUMBER + 2, SOURCE_ROOT / "docs" / "tutorial")


if __name__ == "__main__":
    sys.exit(main())
