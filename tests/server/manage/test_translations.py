"""The translations editor's API: scan, list untranslated first, save in web2py's format, and the
served page changes for that language."""

from __future__ import annotations

import ast

import pytest
from support import write_app

from server.manage.app_folders import AppExistsError, AppNameError
from server.manage.translations import (
    languages,
    messages,
    new_language,
    number_of_forms,
    plural_words,
    save,
)

CONTROLLER = '''
def index():
    return T("Hello") + " / " + T("%s %%{book}", 5) + " / " + T("Bye")
'''


@pytest.fixture
def app(root):
    return write_app(root, "shop", {
        "controllers/default.py": CONTROLLER,
        "views/default/other.html": "{{=T('From a view')}}",
        "languages/it.py": "# -*- coding: utf-8 -*-\n{'Hello': 'Ciao', 'Bye': 'Bye', "
                           "'Old message': 'Messaggio vecchio'}\n",
        "languages/plural-it.py": "{}\n"})


def test_messages_come_untranslated_first_then_translated_then_leftovers(app):
    listed = messages(app, "it")
    assert [m.text for m in listed] == ["%s %%{book}", "Bye", "From a view", "Hello",
                                        "Old message"]
    assert [m.untranslated for m in listed] == [True, True, True, False, False]
    assert listed[3].translation == "Ciao" and listed[0].translation == ""
    assert listed[-1].used is False


def test_a_saved_translation_changes_the_served_page(app, root, wsgi_server, http):
    save(app, "it", {"Bye": "Arrivederci", "%s %%{book}": "%s %%{libro}"},
         {"libro": ("libri",)})
    base = wsgi_server(root)
    page = http(f"{base}/shop/default/index", headers={"Accept-Language": "it"}).text
    assert page == "Ciao / 5 libri / Arrivederci"
    stored = ast.literal_eval((app / "languages/it.py").read_text(encoding="utf-8"))
    assert stored["Old message"] == "Messaggio vecchio"  # kept
    assert (app / "languages/it.py").read_text().startswith("# -*- coding: utf-8 -*-\n{\n")


def test_an_emptied_translation_is_stored_as_web2py_marks_untranslated(app):
    save(app, "it", {"Hello": ""})
    stored = ast.literal_eval((app / "languages/it.py").read_text(encoding="utf-8"))
    assert stored["Hello"] == "Hello"
    assert next(m for m in messages(app, "it") if m.text == "Hello").untranslated


def test_plural_words_have_as_many_forms_as_the_language(app):
    new_language(app, "ru")
    assert number_of_forms("ru") == 3 and number_of_forms("ja") == 1
    [book] = plural_words(app, "ru")
    assert book.word == "book" and book.forms == ("", "") and book.missing
    save(app, "ru", {}, {"book": ("книги", "книг")})
    assert plural_words(app, "ru")[0].forms == ("книги", "книг")
    save(app, "ru", {}, {"book": ("half", "")})  # incomplete forms are not stored
    assert plural_words(app, "ru")[0].forms == ("книги", "книг")


def test_a_new_language_holds_every_message_untranslated(app):
    path = new_language(app, "pt-BR", "Português")
    assert path.name == "pt-br.py"
    assert languages(app) == ["it", "pt-br"]
    assert all(m.untranslated for m in messages(app, "pt-br"))
    stored = ast.literal_eval(path.read_text(encoding="utf-8"))
    assert stored["!langname!"] == "Português" and stored["From a view"] == "From a view"
    with pytest.raises(AppExistsError):
        new_language(app, "it")


@pytest.mark.parametrize("code", ["../x", "default", "it.py", "", "plural-it x"])
def test_codes_that_are_not_languages_are_refused(app, code):
    with pytest.raises(AppNameError):
        new_language(app, code)
