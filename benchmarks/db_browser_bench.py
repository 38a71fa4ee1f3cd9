"""How the database browser copes with a 1,000,000-row SQLite table (offscreen).

Reports: seeding time, time to open the table view (first page shown), time until the total is
counted (worker thread), and time to scroll to the middle and to the end, fetching pages the way
the view does when the user scrolls. Compare with opening a 10-row table.

    .venv/bin/python benchmarks/db_browser_bench.py [rows]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydal import DAL, Field  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.database_browser import DatabaseBrowser  # noqa: E402


def seed(folder: Path, table: str, rows: int) -> DAL:
    """Bulk insert with one recursive-CTE statement: ~1 s for a million rows."""
    db = DAL("sqlite://bench.sqlite", folder=str(folder))
    db.define_table(table, Field("name"), Field("age", "integer"), Field("email"))
    db.executesql(
        f"INSERT INTO {table}(name, age, email) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
        f"SELECT i + 1 FROM n WHERE i < {rows}) "
        "SELECT 'person ' || i, i % 90, 'p' || i || '@example.com' FROM n")
    db.commit()
    return db


def timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    elapsed = time.perf_counter() - start
    print(f"{label:<44} {elapsed * 1000:10.1f} ms")
    return elapsed


def scroll_until(app: QApplication, browser: DatabaseBrowser, row: int) -> None:
    """Scroll the view to its bottom until ``row`` rows are loaded (each step: one page)."""
    model, bar = browser.model, browser.view.verticalScrollBar()
    while model.rowCount() < row and model.canFetchMore():
        bar.setValue(bar.maximum())
        app.processEvents()


def wait_for_count(app: QApplication, browser: DatabaseBrowser) -> None:
    while browser.model.total is None:
        app.processEvents()
        time.sleep(0.001)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        db = {}
        timed(f"seed {rows:,} rows", lambda: db.setdefault("big", seed(Path(folder), "big", rows)))
        small_folder = Path(folder) / "small"
        small_folder.mkdir()
        db["small"] = seed(small_folder, "small", 10)
        for name in ("small", "big"):
            browser = DatabaseBrowser(Path(folder))
            browser.resize(1000, 700)
            browser.show()
            browser.set_databases({"db": db[name]})
            timed(f"open {name} table (first page shown)",
                  lambda b=browser, n=name: (b.open_table(n), app.processEvents()))
            timed(f"  count {name} rows on the worker", lambda b=browser: wait_for_count(app, b))
        timed(f"scroll to the middle ({rows // 2:,} rows loaded)",
              lambda: scroll_until(app, browser, rows // 2))
        timed(f"scroll on to the end ({rows:,} rows loaded)",
              lambda: scroll_until(app, browser, rows))
        print(f"rows loaded: {browser.model.rowCount():,}; "
              f"count label: {browser.count_label.text()}")
        timed("sort by age descending (first page again)",
              lambda: browser.view.sortByColumn(2, Qt.SortOrder.DescendingOrder))
        timed("filter: db.big.email.startswith('p99999')",
              lambda: (browser.filters.query_edit.setText("db.big.email.startswith('p99999')"),
                       browser.apply_filters()))
        timed("  count filtered rows on the worker", lambda: wait_for_count(app, browser))
        for database in db.values():
            database.close()


if __name__ == "__main__":
    main()
