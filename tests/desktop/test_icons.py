"""The bundled icon set: every icon the window names exists, for both themes, at every size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from desktop import icons
from desktop.actions import ACTIONS


def test_every_action_icon_is_bundled_for_both_themes_and_every_size(qapp):
    names = {spec.icon for spec in ACTIONS if spec.icon}
    assert names <= set(icons.icon_names())
    for name in icons.icon_names():
        for theme in icons.THEME_COLOURS:
            for size in icons.SIZES:
                image = QImage(str(icons.image_path(name, theme, size)))
                assert (image.width(), image.height()) == (size, size), (name, theme, size)
            assert not icons.icon(name, theme).isNull()


def test_the_dark_variant_is_drawn_lighter_than_the_light_one(qapp):
    def line_colours(theme):
        image = QImage(str(icons.image_path("file", theme, 48)))
        return {image.pixelColor(x, y).lightness() for x in range(48) for y in range(48)
                if image.pixelColor(x, y).alpha() == 255}

    assert max(line_colours("light")) < 100 < min(line_colours("dark"))


def test_the_icons_follow_the_window_theme(qapp):
    try:
        icons.set_theme("dark")
        assert icons.icon("save").cacheKey() == icons.icon("save", "dark").cacheKey()
        icons.set_theme("no such theme")
        assert icons.icon("save").cacheKey() == icons.icon("save", "light").cacheKey()
    finally:
        icons.set_theme("light")


def test_tree_entries_get_icons_by_kind():
    app = Path("applications/shop")
    assert icons.tree_icon_name(app, "app", 0) == "app"
    assert [icons.tree_icon_name(app / name, "folder", 1)
            for name in ("models", "controllers", "views", "static", "databases", "other")] == [
        "models", "controllers", "views", "static", "database", "folder"]
    assert icons.tree_icon_name(app / "views/default", "folder", 2) == "folder"
    assert [icons.tree_icon_name(app / f"x{suffix}", "file", 2)
            for suffix in (".py", ".html", ".CSS", ".js", ".txt")] == [
        "file_py", "file_html", "file_css", "file_js", "file"]


def test_a_licence_travels_with_the_icons():
    assert "MIT License" in (icons.ICON_FOLDER / "LICENSE").read_text(encoding="utf-8")
