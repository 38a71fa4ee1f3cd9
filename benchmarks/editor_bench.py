"""Editor benchmark: open a 10,000-line Python file, type 200 characters into it, and time a
cold start of the whole window (startup_bench.py).

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/editor_bench.py
Events are processed after every keystroke, so each timing includes lexing, brace
matching, completion lists and painting, as a user would experience them.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from startup_bench import cold_start_report  # noqa: E402 - beside this script

from desktop.editor.tabs import EditorTabs  # noqa: E402

LINES = 10_000
TYPED = ("    total = request.vars.count + len(rows)  # sum\n" * 5)[:200]


def python_source(lines: int) -> str:
    """A plausible controller: functions with bodies, strings, comments and calls."""
    blocks = []
    for number in range(lines // 5):
        blocks.append(
            f"def action_{number}():\n"
            f"    # fetch rows for page {number}\n"
            f"    rows = db(db.item.id > {number}).select(orderby=db.item.name)\n"
            f"    return dict(rows=rows, title='Page {number}', count=len(rows))\n"
            "\n"
        )
    return "".join(blocks)


def yatl_view(lines: int) -> str:
    row = "<tr><td>{{=row.name}}</td><td>{{=row.price}}</td></tr>\n"
    return "{{for row in rows:}}\n" + row * (lines - 2) + "{{pass}}\n"


def milliseconds(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure_open(app: QApplication, tabs: EditorTabs, path: Path) -> tuple[float, float]:
    """(ms for open_file, ms until the first paint has been processed)."""
    start = time.perf_counter()
    editor = tabs.open_file(path)
    opened = milliseconds(start)
    editor.go_to_line(LINES // 2)
    app.processEvents()
    return opened, milliseconds(start)


def measure_typing(app: QApplication, editor) -> list[float]:
    QWidget.setFocus(editor)
    app.processEvents()
    timings = []
    for character in TYPED:
        start = time.perf_counter()
        if character == "\n":
            QTest.keyClick(editor, Qt.Key.Key_Return)
        else:
            QTest.keyClicks(editor, character)
        app.processEvents()
        timings.append(milliseconds(start))
    return timings


def measure_save(app: QApplication, editor) -> tuple[float, float]:
    """(ms the save call holds the window, ms until the syntax check has reported)."""
    reported = []
    editor.syntaxChecked.connect(reported.append)
    start = time.perf_counter()
    editor.save()
    blocked = milliseconds(start)
    while not reported:
        app.processEvents()
        time.sleep(0.001)
    return blocked, milliseconds(start)


def measure_template_refresh(tabs: EditorTabs, path: Path) -> float:
    editor = tabs.open_file(path)
    start = time.perf_counter()
    editor.refresh_template_regions()
    return milliseconds(start)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    tabs = EditorTabs()
    tabs.resize(1200, 800)
    tabs.show()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "default.py"
        source.write_text(python_source(LINES))
        view = Path(folder) / "index.html"
        view.write_text(yatl_view(LINES))
        opened, painted = measure_open(app, tabs, source)
        timings = measure_typing(app, tabs.current_editor())
        save_blocked, save_checked = measure_save(app, tabs.current_editor())
        refresh = measure_template_refresh(tabs, view)
        typed_ok = TYPED.split("\n")[0].strip() in tabs.editor_for(source).text()
        for index in reversed(range(tabs.count())):
            tabs.widget(index).setSavePoint()  # nothing to ask about when closing
            tabs.close_tab(index)
    print(f"open {LINES}-line Python file: {opened:.1f} ms (to first paint {painted:.1f} ms)")
    print(f"typing {len(timings)} characters: mean {statistics.mean(timings):.2f} ms, "
          f"median {statistics.median(timings):.2f} ms, max {max(timings):.2f} ms per keystroke")
    print(f"save it: window held {save_blocked:.1f} ms; syntax check (child process) "
          f"reported after {save_checked:.1f} ms")
    print(f"recompute {{{{ }}}} regions of a {LINES}-line view: {refresh:.1f} ms")
    print(f"typed text landed in the buffer: {typed_ok}")
    print(cold_start_report())


if __name__ == "__main__":
    main()
