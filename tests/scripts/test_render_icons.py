"""The bundled PNG icons are what their SVG sources render to (run the script after an edit)."""

from __future__ import annotations

import render_icons
from PySide6.QtGui import QImage

from desktop import icons


def test_every_bundled_image_matches_its_source(qapp):
    for name in icons.icon_names():
        for theme in icons.THEME_COLOURS:
            for size in icons.SIZES:
                bundled = QImage(str(icons.image_path(name, theme, size)))
                rendered = render_icons.render(name, theme, size)
                assert bundled.convertToFormat(rendered.format()) == rendered, (name, theme, size)


def test_theme_colours_replace_the_sources_colours():
    dark = render_icons.themed_svg("start", "dark").decode()
    assert "#3fb950" in dark and "#1a7f37" not in dark and "currentColor" not in dark
