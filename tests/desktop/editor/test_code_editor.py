"""One CodeEditor on a real file: indent, zoom, margins, syntax errors, yatl regions, reload."""

from PySide6.QtCore import Qt

from desktop.editor.code_editor import (
    ERROR_MARKER,
    FOLD_MARGIN,
    LINE_NUMBER_MARGIN,
    TEMPLATE_INDICATOR,
    CodeEditor,
)
from tests.desktop.editor.helpers import show_focused


def open_editor(qtbot, tmp_path, name, content, focused=False):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    editor = CodeEditor.from_file(path)
    qtbot.addWidget(editor)
    if focused:
        show_focused(qtbot, editor)
    return editor


def type_at_end_of_line(qtbot, editor, line, keys):
    editor.gotoPos(editor.lineEndPosition(line))
    for key in keys:
        if key == "\n":
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        else:
            qtbot.keyClicks(editor, key)


def test_loads_text_unmodified_with_accessible_name(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "x = 'é'\n")
    assert editor.text() == "x = 'é'\n"
    assert not editor.is_modified()
    assert "m.py" in editor.accessibleName()
    assert editor.caretLineVisible()


def test_new_line_keeps_indent_and_adds_a_level_after_a_colon(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "def index():\n    x = 1", focused=True)
    type_at_end_of_line(qtbot, editor, 1, ["\n", "y = 2"])
    type_at_end_of_line(qtbot, editor, 0, ["\n", "pass"])
    assert editor.text() == "def index():\n    pass\n    x = 1\n    y = 2"


def test_colon_in_a_comment_does_not_indent(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "x = 1  # note:", focused=True)
    type_at_end_of_line(qtbot, editor, 0, ["\n", "y"])
    assert editor.text() == "x = 1  # note:\ny"


def test_crlf_line_endings_survive_typing_and_saving(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", b"if x:\r\n    pass\r\n", focused=True)
    type_at_end_of_line(qtbot, editor, 1, ["\n", "z"])
    editor.save()
    assert editor.path.read_bytes() == b"if x:\r\n    pass\r\n    z\r\n"


def test_zoom_shortcuts(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "x = 1\n", focused=True)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(editor, Qt.Key.Key_Equal, ctrl)
    qtbot.keyClick(editor, Qt.Key.Key_Equal, ctrl)
    assert editor.zoom() == 2
    qtbot.keyClick(editor, Qt.Key.Key_Minus, ctrl)
    assert editor.zoom() == 1
    qtbot.keyClick(editor, Qt.Key.Key_0, ctrl)
    assert editor.zoom() == 0


def test_line_number_and_fold_margins(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "def f():\n    return 1\n" * 600)
    assert editor.marginWidthN(LINE_NUMBER_MARGIN) > 0
    assert editor.marginSensitiveN(FOLD_MARGIN)
    editor.colourise(0, -1)
    header_flag = 0x2000  # SC_FOLDLEVELHEADERFLAG
    assert editor.foldLevel(0) & header_flag
    narrow = editor.marginWidthN(LINE_NUMBER_MARGIN)
    editor.setText("x\n" * 100_000)
    assert editor.marginWidthN(LINE_NUMBER_MARGIN) > narrow  # six digits need more room


def save_and_wait_for_check(qtbot, editor):
    with qtbot.waitSignal(editor.syntaxChecked, timeout=10_000) as checked:
        editor.save()
    return checked.args[0]


def test_syntax_error_is_annotated_on_its_line_and_the_file_still_saved(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "a = 1\n")
    editor.setText("a = 1\nb = 2\nif b\n    pass\n")
    problem = save_and_wait_for_check(qtbot, editor)
    assert problem is not None and problem.line == 3
    assert editor.path.read_text() == "a = 1\nb = 2\nif b\n    pass\n"
    assert not editor.is_modified()
    assert bytes(editor.annotationText(2)).startswith(b"SyntaxError:")
    assert editor.markerGet(2) & (1 << ERROR_MARKER)
    assert editor.markerGet(0) == 0 and bytes(editor.annotationText(0)) == b""
    assert editor.accessibleDescription().startswith(f"{editor.path} — SyntaxError on line 3:")


def test_fixing_and_saving_clears_the_syntax_error(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "if b\n")
    save_and_wait_for_check(qtbot, editor)
    assert editor.syntax_problem is not None
    editor.setText("if b:\n    pass\n")
    assert save_and_wait_for_check(qtbot, editor) is None
    assert editor.syntax_problem is None
    assert bytes(editor.annotationText(0)) == b""
    assert editor.markerGet(0) == 0
    assert editor.accessibleDescription() == str(editor.path)


def test_non_python_files_are_not_compiled(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "app.js", "if (x {\n")
    with qtbot.assertNotEmitted(editor.syntaxChecked, wait=300):
        editor.save()
    assert editor.path.read_text() == "if (x {\n"


def test_yatl_code_regions_are_boxed_and_follow_edits(qtbot, tmp_path):
    view = "<h1>{{=title}}</h1>\n{{for row in rows:}}\n<p>{{=row}}</p>\n{{pass}}\n"
    editor = open_editor(qtbot, tmp_path, "index.html", view)
    start = view.index("{{=title}}")
    assert editor.indicatorValueAt(TEMPLATE_INDICATOR, start + 3) == 1
    assert editor.indicatorValueAt(TEMPLATE_INDICATOR, 1) == 0  # inside <h1>
    assert len(editor.template_regions()) == 4
    editor.insertText(0, "{{extend 'layout.html'}}\n")
    qtbot.waitUntil(lambda: editor.indicatorValueAt(TEMPLATE_INDICATOR, 3) == 1)
    assert len(editor.template_regions()) == 5


def test_windowed_region_scan_agrees_with_a_full_scan(qtbot, tmp_path):
    view = "{{x}} }} a {{ y\n z }}}\n{{ open\n" + "<p>{{=i}}</p> {{=j}}\n" * 40
    editor = open_editor(qtbot, tmp_path, "v.html", view)
    everything = editor.template_regions()
    for start in range(0, len(view), 7):
        end = start + 25
        expected = [(a, b) for a, b in everything if b > start and a < end]
        assert editor.template_regions(start, end) == expected


def test_regions_are_boxed_where_the_view_scrolls_to(qtbot, tmp_path):
    view = "{{=first}}\n" + "<p>plain</p>\n" * 3000 + "{{=last}}\n"
    editor = open_editor(qtbot, tmp_path, "v.html", view, focused=True)
    last = len(view) - len("{{=last}}\n")
    assert editor.indicatorValueAt(TEMPLATE_INDICATOR, 2) == 1
    assert editor.indicatorValueAt(TEMPLATE_INDICATOR, last + 2) == 0  # far off screen
    editor.go_to_line(editor.lineCount())
    qtbot.waitUntil(lambda: editor.indicatorValueAt(TEMPLATE_INDICATOR, last + 2) == 1)


def test_yatl_python_is_lexed_as_python(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "index.html", "<p>{{for x in y:}}</p>")
    editor.colourise(0, -1)
    tags = bytes(editor.tagsOfStyle(editor.styleAt(5))).decode()  # 'for'
    assert tags.split()[-2:] == ["python", "keyword"]


def test_reload_reads_new_content_and_keeps_caret_line(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.py", "".join(f"line{i}\n" for i in range(50)))
    editor.go_to_line(30)
    assert not editor.changed_on_disk()
    editor.path.write_text("".join(f"new{i}\n" for i in range(50)))
    assert editor.changed_on_disk()
    editor.reload()
    assert editor.text().startswith("new0\n")
    assert editor.caret_line() == 30
    assert not editor.is_modified() and not editor.changed_on_disk()


def test_go_to_line_is_clamped(qtbot, tmp_path):
    editor = open_editor(qtbot, tmp_path, "m.txt", "a\nb\nc")
    editor.go_to_line(99)
    assert editor.caret_line() == 3
    editor.go_to_line(-4)
    assert editor.caret_line() == 1
