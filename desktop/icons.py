"""The window's icons: a small set drawn for Pocketweb, bundled, in a light and a dark variant.

The sources are SVG files in ``desktop/resources/icons/src`` (line drawings on a 16-pixel grid in
``currentColor`` with a few accent colours). ``scripts/render_icons.py`` renders them to PNG
images per theme and size, which Qt reads without its SVG module or any plugin: the portable
bundle leaves QtSvg out to stay within its size budget, and no system icon theme is needed.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

ICON_FOLDER = Path(__file__).resolve().parent / "resources" / "icons"
SIZES = (16, 24, 32, 48)

# How each theme draws the sources' colours: the line colour, then the accents (green for
# start and add, red for stop and delete, blue, amber, orange), lighter on a dark background.
THEME_COLOURS: dict[str, dict[str, str]] = {
    "light": {"currentColor": "#24292f", "#1a7f37": "#1a7f37", "#cf222e": "#cf222e",
              "#0969da": "#0969da", "#bf8700": "#bf8700", "#bc4c00": "#bc4c00"},
    "dark": {"currentColor": "#d4d4d4", "#1a7f37": "#3fb950", "#cf222e": "#f85149",
             "#0969da": "#58a6ff", "#bf8700": "#d29922", "#bc4c00": "#f0883e"},
}

# The apps tree: a folder of an app by its name, a file by its extension.
FOLDER_ICONS = {"models": "models", "controllers": "controllers", "views": "views",
                "static": "static", "languages": "languages", "modules": "modules",
                "private": "private", "cron": "cron", "databases": "database"}
FILE_ICONS = {".py": "file_py", ".html": "file_html", ".htm": "file_html", ".load": "file_html",
              ".css": "file_css", ".js": "file_js"}


_current = {"theme": "light"}  # the window's theme, which icon() draws for


def set_theme(theme: str) -> None:
    """Draw later icons for ``theme``; the window then sets its icons again."""
    _current["theme"] = theme if theme in THEME_COLOURS else "light"


def image_path(name: str, theme: str, size: int) -> Path:
    return ICON_FOLDER / theme / f"{name}-{size}.png"


def icon_names() -> list[str]:
    return sorted(path.stem for path in (ICON_FOLDER / "src").glob("*.svg"))


def icon(name: str, theme: str | None = None) -> QIcon:
    """Icon ``name`` drawn for ``theme`` ('light' or 'dark', the window's by default)."""
    return _themed_icon(name, theme or _current["theme"])


@functools.cache
def _themed_icon(name: str, theme: str) -> QIcon:
    result = QIcon()
    for size in SIZES:
        result.addFile(str(image_path(name, theme, size)), QSize(size, size))
    return result


def tree_icon_name(path: Path, kind: str, depth: int) -> str:
    """The icon of an apps-tree entry: ``depth`` 0 is an app, 1 one of its folders."""
    if kind == "file":
        return FILE_ICONS.get(path.suffix.lower(), "file")
    if depth == 0:
        return "app"
    return FOLDER_ICONS.get(path.name, "folder") if depth == 1 else "folder"
