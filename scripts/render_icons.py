"""Render the window's SVG icons to the PNG images the program loads.

``desktop/icons.py`` says why PNG: the portable bundle has no QtSvg. Each source in
``desktop/resources/icons/src`` becomes ``<theme>/<name>-<size>.png`` for every theme and size,
its colours swapped for the theme's. Run ``QT_QPA_PLATFORM=offscreen python scripts/render_icons.py``
after editing a source; a test checks that the images match.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QByteArray, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from desktop.icons import ICON_FOLDER, SIZES, THEME_COLOURS, icon_names, image_path  # noqa: E402


def themed_svg(name: str, theme: str) -> bytes:
    text = (ICON_FOLDER / "src" / f"{name}.svg").read_text(encoding="utf-8")
    for source, colour in THEME_COLOURS[theme].items():
        text = text.replace(source, colour)
    return text.encode("utf-8")


def render(name: str, theme: str, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(QByteArray(themed_svg(name, theme))).render(painter)
    painter.end()
    return image


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 (Qt needs one)
    for theme in THEME_COLOURS:
        (ICON_FOLDER / theme).mkdir(exist_ok=True)
        for name in icon_names():
            for size in SIZES:
                render(name, theme, size).save(str(image_path(name, theme, size)), "PNG")
    print(f"{len(icon_names())} icons rendered for {', '.join(THEME_COLOURS)}")


if __name__ == "__main__":
    main()
