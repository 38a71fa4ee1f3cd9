"""The one theme table and how it colours editors through lexilla's style tags."""

import pytest

from desktop import themes
from desktop.editor.code_editor import CodeEditor
from desktop.editor.tabs import EditorTabs

SCE_P_COMMENTLINE = 1
SCE_P_WORD = 5
SCE_HPA_WORD = 111  # Python keyword inside a yatl {{ }} region


def test_every_theme_defines_the_same_keys():
    keys = {name: set(table) for name, table in themes.THEMES.items()}
    assert keys["light"] == keys["dark"]
    assert {"comment", "string", "keyword", "number", "operator", "identifier", "default",
            "error", "caret_line", "selection", "brace_match", "annotation_back"} <= keys["light"]


def test_colours_convert_to_scintilla_bgr():
    assert themes.scintilla_colour("#112233") == 0x332211


@pytest.mark.parametrize(("tags", "key"), [
    ("comment line", "comment"),
    ("client python literal string", "string"),
    ("error literal string", "error"),
    ("literal numeric", "number"),
    ("server python keyword", "keyword"),
    ("tag operator", "operator"),
    ("", "default"),
    ("predefined", "default"),
])
def test_the_most_telling_tag_picks_the_colour(tags, key):
    assert themes.colour_key_for_tags(tags) == key


def _editor(qtbot, tmp_path, name, text, theme="light"):
    path = tmp_path / name
    path.write_text(text)
    editor = CodeEditor.from_file(path, theme)
    qtbot.addWidget(editor)
    return editor


def test_styles_are_coloured_from_their_tags(qtbot, tmp_path):
    editor = _editor(qtbot, tmp_path, "m.py", "# note\n")
    assert editor.styleFore(SCE_P_COMMENTLINE) == themes.colour("light", "comment")
    assert editor.styleFore(SCE_P_WORD) == themes.colour("light", "keyword")
    assert editor.styleBack(SCE_P_WORD) == themes.colour("light", "background")


def test_yatl_python_regions_use_the_same_table(qtbot, tmp_path):
    editor = _editor(qtbot, tmp_path, "v.html", "{{if x:}}<p></p>{{pass}}")
    assert editor.styleFore(SCE_HPA_WORD) == themes.colour("light", "keyword")


def test_switching_theme_restyles_every_open_editor(qtbot, tmp_path):
    tabs = EditorTabs()
    qtbot.addWidget(tabs)
    (tmp_path / "a.py").write_text("# a\n")
    (tmp_path / "b.css").write_text("/* b */\n")
    python_editor = tabs.open_file(tmp_path / "a.py")
    css_editor = tabs.open_file(tmp_path / "b.css")
    tabs.set_theme("dark")
    assert python_editor.styleFore(SCE_P_COMMENTLINE) == themes.colour("dark", "comment")
    assert css_editor.styleFore(9) == themes.colour("dark", "comment")  # SCE_CSS_COMMENT
    assert python_editor.caretLineBack() == themes.colour("dark", "caret_line")
    assert themes.colour("dark", "comment") != themes.colour("light", "comment")
    (tmp_path / "c.py").write_text("# c\n")
    assert tabs.open_file(tmp_path / "c.py").styleFore(SCE_P_COMMENTLINE) == \
        themes.colour("dark", "comment")


def test_chrome_colours_follow_the_theme(qtbot, tmp_path):
    editor = _editor(qtbot, tmp_path, "m.py", "x = (1)\n", theme="dark")
    for theme in ("dark", "light"):
        editor.set_theme(theme)
        assert editor.styleBack(themes.STYLE_LINE_NUMBER) == themes.colour(theme, "margin_back")
        assert editor.styleBack(themes.STYLE_BRACE_LIGHT) == themes.colour(theme, "brace_match")
        annotation = editor.annotationStyleOffset()
        assert editor.styleBack(annotation) == themes.colour(theme, "annotation_back")
        assert editor.styleFore(annotation) == themes.colour(theme, "annotation_fore")
