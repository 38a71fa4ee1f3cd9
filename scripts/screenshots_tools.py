"""Screenshots of the window's tools for the docs: help, phone preview, new-app wizard,
translations and plugins (``make screenshots``).

Like ``scripts/screenshots.py`` (whose Xvfb set-up it reuses) it re-runs itself on a virtual
screen; each tool is opened on a throw-away copy of the welcome app and its dialog photographed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import (  # noqa: E402
    DISPLAY_NUMBER,
    PrintingAsk,
    prepare_root,
    screenshot_main,
    wait,
)

from server.manage.wizard import AppPlan, FieldPlan, TablePlan, write_app  # noqa: E402

SHELF = AppPlan("shelf", (
    TablePlan("author", (FieldPlan("name", "string", "required"),
                         FieldPlan("email", "string", "email"))),
    TablePlan("book", (FieldPlan("title", "string", "required"),
                       FieldPlan("author", "reference", references="author"))),
), auth=False)
PLUGIN = {"models/plugin_clock.py": "CLOCK_FORMAT = '%H:%M'\n",
          "controllers/plugin_clock.py": "def index():\n    return dict()\n",
          "views/plugin_clock/index.html": "{{extend 'layout.html'}}<p>{{=T('Now')}}</p>\n",
          "static/plugin_clock/clock.css": ".clock { font-weight: bold }\n"}


def help_window(window):
    window.commands["help"].trigger()
    return window.help_window


def phone_preview(window):
    window.apps_tree.select_path(window.root / "applications" / "welcome")
    window.commands["phone_preview"].trigger()
    dialog = window.phone_preview
    dialog.network_button.click()
    for _ in range(100):
        if dialog.url_edit.text():
            break
        wait(100)
    dialog.resize(560, 640)
    return dialog


def wizard(window):
    window.commands["new_app_wizard"].trigger()
    dialog = window.new_app_wizard
    dialog.name_edit.setText("library")
    dialog.grid.setRowCount(0)
    for row in (("author", "name", "string", "required"), ("author", "email", "string", "email"),
                ("book", "title", "string", "required"), ("book", "year", "integer",
                                                           "positive number"),
                ("book", "author", "reference", "", "author")):
        dialog.add_field(*row)
    return dialog


def translations(window):
    languages = window.root / "applications" / "welcome" / "languages"
    languages.mkdir(exist_ok=True)
    (languages / "it.py").write_text("{'Home': 'Pagina iniziale', 'Welcome': 'Benvenuto'}\n")
    window.apps_tree.select_path(window.root / "applications" / "welcome")
    window.commands["translations"].trigger()
    editor = window.translations_editor
    editor.table.item(0, 1).setText("cache di %s")
    editor.table.setCurrentCell(0, 1)
    return editor


def plugins(window):
    for name, text in PLUGIN.items():
        path = window.root / "applications" / "shelf" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    window.apps_tree.refresh()
    window.apps_tree.select_path(window.root / "applications" / "shelf")
    window.commands["plugins"].trigger()
    return window.plugins_dialog


SHOTS = (("help.png", help_window), ("phone-preview.png", phone_preview),
         ("new-app-wizard.png", wizard), ("translations.png", translations),
         ("plugins.png", plugins))


def take_screenshots(out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from server.hosting.httpd import free_port

    app = QApplication(sys.argv)
    app.setStyle("Fusion")
    root = prepare_root()
    write_app(root, SHELF)
    window = MainWindow(root, "127.0.0.1", free_port(), ask=PrintingAsk())
    window.resize(1280, 800)
    window.show()
    window.server_panel.start_server()
    try:
        for name, prepare in SHOTS:
            dialog = prepare(window)
            wait(500)
            dialog.grab().save(str(out / name))
            dialog.close()
            print("saved", out / name, flush=True)
    finally:
        window.server_panel.shutdown()
        window.close()
        del app
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(screenshot_main(__doc__.splitlines()[0], take_screenshots, __file__,
                             DISPLAY_NUMBER - 4))
