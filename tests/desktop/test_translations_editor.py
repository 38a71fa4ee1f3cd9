"""The translations editor: a translation typed in it changes the served page for that language."""

from __future__ import annotations

import pytest
from scripted_ask import ScriptedAsk
from support import fetch, write_app

from desktop.main_window import MainWindow
from server.hosting.httpd import free_port

CONTROLLER = 'def index():\n    return T("Good morning") + " | " + T("%s %%{apple}", 3)\n'


@pytest.fixture
def window(qtbot, root):
    write_app(root, "shop", {"controllers/default.py": CONTROLLER,
                             "languages/it.py": "{'Good morning': 'Good morning'}\n"})
    window = MainWindow(root, ask=ScriptedAsk(), open_url=lambda url: None)
    qtbot.addWidget(window)
    window.apps_tree.select_path(root / "applications/shop")
    yield window
    window.server_panel.shutdown()


def italian_page(window) -> str:
    return fetch(f"{window.server_panel.url}/shop/default/index",
                 headers={"Accept-Language": "it"}).text


def test_a_translation_typed_in_the_editor_changes_the_served_page(window):
    window.server_panel.set_address("127.0.0.1", free_port())
    assert window.server_panel.start_server()
    assert italian_page(window) == "Good morning | 3 apples"
    window.commands["translations"].trigger()
    editor = window.translations_editor
    assert editor.isVisible() and editor.language_combo.currentText() == "it"
    assert editor.table.item(0, 2).text() == "untranslated"
    editor.set_translation("Good morning", "Buongiorno")
    editor.set_translation("%s %%{apple}", "%s %%{mela}")
    editor.save_button.click()  # "mela" is a counted word once the message is saved
    assert [editor.plurals.item(row, 0).text() for row in range(editor.plurals.rowCount())] \
        == ["apple", "mela"]
    row = [editor.plurals.item(r, 0).text() for r in range(editor.plurals.rowCount())].index("mela")
    editor.plurals.item(row, 1).setText("mele")
    editor.save_button.click()
    assert italian_page(window) == "Buongiorno | 3 mele"
    assert "2 of 2 translated" in editor.summary.text()


def test_untranslated_messages_come_first_and_stand_out(window):
    (window.root / "applications/shop/languages/it.py").write_text(
        "{'Good morning': 'Buongiorno'}\n")
    window.commands["translations"].trigger()
    table = window.translations_editor.table
    assert table.item(0, 0).text() == "%s %%{apple}" and table.item(0, 0).font().bold()
    assert table.item(1, 0).text() == "Good morning" and not table.item(1, 0).font().bold()


def test_a_new_language_from_its_code(window):
    window.commands["translations"].trigger()
    editor = window.translations_editor
    window.ask.script("text", "fr")
    editor.new_button.click()
    assert editor.language_combo.currentText() == "fr"
    assert (window.root / "applications/shop/languages/fr.py").is_file()
    assert editor.table.rowCount() == 2
    window.ask.script("text", "../evil")
    editor.new_button.click()
    assert "not a language code" in window.ask.errors[-1]


def test_without_a_selected_app_it_says_so(qtbot, root):
    window = MainWindow(root, ask=ScriptedAsk(), open_url=lambda url: None)
    qtbot.addWidget(window)
    window.commands["translations"].trigger()
    assert window.ask.errors == ["Select an application in the tree first."]
    assert not window.translations_editor.isVisible()
