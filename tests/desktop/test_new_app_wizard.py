"""The wizard dialog: a grid of fields becomes an app whose grid pages serve, opened in the editor."""

from __future__ import annotations

import pytest
from scripted_ask import ScriptedAsk
from support import fetch

from desktop.main_window import MainWindow
from desktop.new_app_wizard import plan_from_rows
from server.hosting.httpd import free_port


@pytest.fixture
def window(qtbot, root):
    window = MainWindow(root, ask=ScriptedAsk(), open_url=lambda url: None)
    qtbot.addWidget(window)
    yield window
    window.server_panel.shutdown()


def fill(wizard, name: str, rows) -> None:
    wizard.name_edit.setText(name)
    wizard.grid.setRowCount(0)
    for row in rows:
        wizard.add_field(*row)


def test_the_wizard_writes_an_app_that_serves_its_grid_pages(window):
    window.commands["new_app_wizard"].trigger()
    wizard = window.new_app_wizard
    assert wizard.isVisible() and wizard.grid.rowCount() == 1
    wizard.auth_check.setChecked(False)
    fill(wizard, "shelf", [("author", "name", "string", "required"),
                           ("author", "email", "string", "email"),
                           ("book", "title", "string", "required"),
                           ("book", "author", "reference", "", "author")])
    wizard.create_button.click()
    assert not wizard.isVisible()
    app = window.root / "applications/shelf"
    assert app / "controllers/book.py" in window.editor.open_paths()
    assert app / "models/db_wizard.py" in window.editor.open_paths()
    assert window.apps_tree.selected_app() == "shelf"
    window.server_panel.set_address("127.0.0.1", free_port())
    assert window.server_panel.start_server()
    for table in ("author", "book"):
        page = fetch(f"{window.server_panel.url}/shelf/{table}/index")
        assert page.status == 200 and "web2py_grid" in page.text


def test_a_mistake_keeps_the_dialog_open_with_its_rows(window):
    window.commands["new_app_wizard"].trigger()
    wizard = window.new_app_wizard
    fill(wizard, "shelf", [("order", "name", "string", "")])
    wizard.create_button.click()
    assert wizard.isVisible()
    assert "reserved word" in wizard.problem.text() and "Nothing was written" in wizard.problem.text()
    assert wizard.rows()[0][0] == "order"
    assert not (window.root / "applications/shelf").exists()


def test_running_it_again_on_the_app_adds_a_table(window):
    wizard = window.new_app_wizard
    wizard.open_for()
    fill(wizard, "shelf", [("author", "name", "string", "required")])
    wizard.create_button.click()
    edited = window.root / "applications/shelf/controllers/author.py"
    edited.write_text("# mine\n")
    wizard.open_for("shelf")
    assert wizard.name_edit.text() == "shelf"
    fill(wizard, "shelf", [("author", "name", "string", "required"),
                           ("tag", "label", "string", "unique")])
    wizard.create_button.click()
    assert edited.read_text() == "# mine\n"
    assert (window.root / "applications/shelf/controllers/tag.py").is_file()


def test_the_add_button_continues_the_last_rows_table(window):
    wizard = window.new_app_wizard
    wizard.open_for()
    wizard.grid.item(0, 0).setText("book")
    wizard.add_button.click()
    assert wizard.rows()[1][0] == "book"
    wizard.grid.selectRow(1)
    wizard.remove_button.click()
    assert wizard.grid.rowCount() == 1


def test_blank_rows_are_left_out_of_the_plan():
    plan = plan_from_rows("shelf", [("book", "title", "string", "", ""), ("", "", "string", "", "")],
                          "welcome", True, True)
    assert [table.name for table in plan.tables] == ["book"]
