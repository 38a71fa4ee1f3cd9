"""Screenshots of the Output, Shell and Debugger panels for the docs.

    .venv/bin/python scripts/screenshots_console.py [--out docs]

Like ``scripts/screenshots.py`` (whose Xvfb set-up it reuses) it re-runs itself on a virtual
screen. A main window serves a throw-away app whose controller prints and logs; the Output
panel shows real requests, the Shell real statements, and the Debugger a real request held at
a breakpoint (the whole window: the editor on the paused line above the panel).
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_ROOT))
sys.path.insert(0, str(SOURCE_ROOT / "scripts"))

from screenshots import (  # noqa: E402
    DISPLAY_NUMBER,
    fetch,
    open_window,
    screenshot_main,
    shoot_window,
    wait,
    wait_for,
)

MODEL = """\
db = DAL('sqlite://storage.sqlite')
db.define_table('product', Field('title'), Field('price', 'double'))
if not db(db.product).count():
    db.product.bulk_insert([dict(title='Green tea', price=4.5), dict(title='Matcha', price=12)])
    db.commit()
"""
CONTROLLER = """\
import logging

logger = logging.getLogger('web2py.app.shop')


def index():
    products = db(db.product).select(orderby=db.product.title)
    total = sum(product.price for product in products)
    print('listing', len(products), 'products, total', total)
    return dict(products=products, total=total)


def checkout():
    logger.warning('checkout with an empty cart')
    return dict(per_item=1 / 0)
"""


def prepare_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="pocketweb-console-"))
    app = root / "applications" / "shop"
    for folder in ("models", "controllers", "views", "databases", "sessions", "errors"):
        (app / folder).mkdir(parents=True)
    (app / "models" / "db.py").write_text(MODEL, encoding="utf-8")
    (app / "controllers" / "default.py").write_text(CONTROLLER, encoding="utf-8")
    return root


def make_window(root: Path):
    window = open_window(root)
    controller = root / "applications" / "shop" / "controllers" / "default.py"
    window.apps_tree.select_path(controller)
    window.open_file(controller)
    window.server_panel.start_server()
    return window


def bring_forward(window, panel: str) -> None:
    """The panel's tab in front, the bottom docks tall enough to read."""
    window.show_panel(panel)
    for dock in window.panel_docks.values():
        dock.widget().setMinimumHeight(360)  # resizeDocks does not reach tabified docks
    wait(100)


def output_shot(window, root: Path) -> None:
    for path in ("index", "index?page=2", "checkout", "nosuch"):
        fetch(f"{window.server_panel.url}/shop/default/{path}")
    bring_forward(window, "output")


def shell_shot(window, root: Path) -> None:
    bring_forward(window, "shell")
    shell = window.shell_panel
    wait_for(lambda: shell.session is not None and not shell.session.busy)
    for line in ("db.tables", "rows = db(db.product.price > 5).select()", "print(rows)",
                 "for row in rows:", "    print(row.title, row.price)", "",
                 "db.product.insert(title='Oolong', price=7.2)", "db.commit()"):
        shell.input.setText(line)
        shell.submit()
        wait_for(lambda: not shell.interrupt_button.isEnabled())
    shell.input.setText("db.product.ti")


def debugger_shot(window, root: Path) -> None:
    controller = root / "applications" / "shop" / "controllers" / "default.py"
    window.open_file(controller, 9)
    window.debugger_panel.toggle_at_caret()
    threading.Thread(target=fetch, args=(f"{window.server_panel.url}/shop/default/index",),
                     daemon=True).start()
    wait_for(lambda: window.debugger_panel.pause is not None)
    bring_forward(window, "debugger")
    debugger = window.debugger_panel
    debugger.locals_tree.expandToDepth(0)
    debugger.expression_edit.setText("total / len(products)")
    debugger.evaluate()
    wait_for(lambda: debugger.results.toPlainText())


SHOTS = (("output-panel.png", output_shot), ("shell-panel.png", shell_shot),
         ("debugger.png", debugger_shot))


def take_screenshots(out: Path) -> int:
    return shoot_window(out, SHOTS, prepare_root, make_window, settle_ms=600)


def main() -> int:
    return screenshot_main(__doc__.splitlines()[0], take_screenshots, __file__,
                           DISPLAY_NUMBER + 4)


if __name__ == "__main__":
    sys.exit(main())
