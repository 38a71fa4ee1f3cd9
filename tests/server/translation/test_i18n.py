"""server/translation/i18n.py: T over real language files in a temp languages/ folder."""

from __future__ import annotations

import ast
import copy
import json
import os
import pickle

import pytest
from pydal.helpers.serializers import serializers
from yatl.helpers import DIV, A

from server.translation.i18n import Translator, lazyT, parse_accept_language


def write(folder, name, text):
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def languages(tmp_path):
    folder = tmp_path / "languages"
    folder.mkdir()
    write(folder, "it", "# -*- coding: utf-8 -*-\n{\n'!langcode!': 'it',\n"
          "'!langname!': 'Italiano',\n'Hello': 'Ciao',\n'Hello %s': 'Ciao %s',\n"
          "'Hi %(name)s': 'Salve %(name)s',\n'Broken %s': 'Rotto %d %d',\n"
          "'<b>bold</b>': '<b>grassetto</b>',\n}\n")
    write(folder, "fr-ca", "{'Hello': 'Allô'}")
    write(folder, "de", "{'Hello': 'Hallo'}")
    return folder


def test_accept_language_picks_by_quality(languages):
    assert Translator(languages, "de;q=0.5, it;q=0.9, fr").accepted_language == "it"
    T = Translator(languages, "fr;q=0.2, de;q=0.8")
    assert T.accepted_language == "de"
    assert str(T("Hello")) == "Hallo"


def test_region_falls_back_to_the_language(languages):
    T = Translator(languages, "it-IT,it;q=0.9")
    assert T.accepted_language == "it"
    assert str(T("Hello")) == "Ciao"
    assert Translator(languages, "fr-CA").accepted_language == "fr-ca"


def test_current_language_and_unknown_language_are_untranslated(languages):
    english = Translator(languages, "en-US,it;q=0.5")
    assert english.accepted_language == "en"
    assert str(english("Hello")) == "Hello"
    unknown = Translator(languages, "ja")
    assert unknown.accepted_language == "en"
    assert str(unknown("Hello")) == "Hello"
    assert Translator(languages, None).accepted_language == "en"
    assert Translator(languages, "garbage;;;q=x,").accepted_language == "en"


def test_parse_accept_language():
    assert parse_accept_language("it-IT,it;q=0.9,en;q=0.8,de;q=0") == ["it-it", "it", "en"]
    assert parse_accept_language("da, en-gb;q=0.8, en;q=0.7") == ["da", "en-gb", "en"]
    assert parse_accept_language("") == []
    assert parse_accept_language("*;q=0.5, fr;q=bad") == []


def test_symbols_tuple_dict_and_single(languages):
    T = Translator(languages, "it")
    assert str(T("Hello %s", ("Max",))) == "Ciao Max"
    assert str(T("Hello %s", "Max")) == "Ciao Max"
    assert str(T("Hi %(name)s", dict(name="Eva"))) == "Salve Eva"
    assert str(T("Hello %s") % "Bo") == "Ciao Bo"
    assert str(T("Missing %s", ("x",))) == "Missing x"


def test_translation_with_bad_placeholders_falls_back_to_the_message(languages):
    T = Translator(languages, "it")
    assert str(T("Broken %s", ("x",))) == "Broken x"
    with pytest.raises(TypeError):
        str(T("Mine %s %s", ("only one",)))


def test_lazy_translation_follows_force_until_rendered(languages):
    T = Translator(languages, "it")
    message = T("Hello")
    assert isinstance(message, lazyT)
    T.force("de")
    assert str(message) == "Hallo"
    T.force(None)
    assert str(message) == "Hello"
    assert T.accepted_language == "en"
    T.force(["xx", "it-ch"])
    assert T.accepted_language == "it" and str(message) == "Ciao"


def test_lazy_false_translates_at_once(languages):
    T = Translator(languages, "it")
    T.lazy = False
    message = T("Hello")
    assert type(message) is str and message == "Ciao"
    assert T("Hello", lazy=True).__class__ is lazyT


def test_lazy_string_behaves_like_text(languages):
    T = Translator(languages, "it")
    hello = T("Hello")
    assert hello == "Ciao" and hello == T("Hello") and hello != "Hello"
    assert hello + "!" == "Ciao!" and "¡" + hello == "¡Ciao"
    assert len(hello) == 4 and hash(hello) == hash("Ciao")
    assert {hello: 1}["Ciao"] == 1
    assert f"{hello:>6}" == "  Ciao" and "ia" in hello and hello[0] == "C"
    assert hello.upper() == "CIAO"
    assert bool(T("")) is False


def test_every_string_method_reads_the_translation(languages):
    """web2py's appadmin calls ``table._plural.title()`` on a lazy T."""
    hello = Translator(languages, "it")("hello")
    assert hello.title() == "Hello" and hello.startswith("he") and hello.encode() == b"hello"
    assert copy.copy(Translator(languages, "it")("Hello")) == "Ciao"
    with pytest.raises(AttributeError):
        hello._hidden  # noqa: B018


def test_xml_escapes_and_helpers_escape(languages):
    T = Translator(languages, "it")
    assert T("<b>bold</b>").xml() == "&lt;b&gt;grassetto&lt;/b&gt;"
    assert DIV(T("<b>bold</b>")).xml() == "<div>&lt;b&gt;grassetto&lt;/b&gt;</div>"
    assert A(T("Hello"), _href="/x").xml() == '<a href="/x">Ciao</a>'


def test_json_and_pickle_use_the_translation(languages):
    T = Translator(languages, "it")
    assert json.loads(serializers.json({"m": T("Hello")})) == {"m": "Ciao"}
    assert pickle.loads(pickle.dumps(T("Hello"))) == "Ciao"


def test_explicit_language_per_message(languages):
    T = Translator(languages, "it")
    assert str(T("Hello", language="de")) == "Hallo"
    assert str(T("Hello", language="en")) == "Hello"
    assert str(T("Hello")) == "Ciao"


def test_comment_marks_are_hidden_when_untranslated(languages):
    T = Translator(languages, "it")
    assert str(T("Save ## the button")) == "Save"


def test_markmin_headings_are_not_comments(languages):
    T = Translator(languages, "it")
    assert str(T("## Heading")) == "## Heading"  # starts with ##: markmin, kept whole
    assert str(T("text ## not a note\nsecond line")) == "text ## not a note\nsecond line"


def test_current_languages_and_possible_languages(languages):
    T = Translator(languages, "it")
    assert T.current_languages == ["en"]
    assert T.get_possible_languages() == ["de", "en", "fr-ca", "it"]
    T.set_current_languages("it", "it-it")
    assert T.accepted_language == "it"
    assert str(T("Hello")) == "Hello"  # Italian is now the app's own language
    T.set_current_languages(["en"])
    assert str(T("Hello")) == "Ciao"
    info = T.get_possible_languages_info()
    assert info["it"]["langname"] == "Italiano" and info["it"]["translations"] == 5


def test_default_py_defines_the_default_language(languages):
    write(languages, "default", "{'!langcode!': 'pt', 'Hello': 'Olá'}")
    T = Translator(languages, "ja")
    assert T.current_languages == ["pt"]
    assert T.accepted_language == "pt"
    assert str(T("Hello")) == "Olá"
    assert "default" not in T.get_possible_languages()


def test_changed_file_is_reread(languages):
    T = Translator(languages, "de")
    assert str(T("Hello")) == "Hallo"
    path = languages / "de.py"
    path.write_text("{'Hello': 'Guten Tag'}", encoding="utf-8")
    stamp = os.stat(path).st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(stamp, stamp))
    assert str(T("Hello")) == "Guten Tag"


@pytest.mark.parametrize("text", ["{'Hello': ", "__import__('os').system('echo hi')",
                                  "['not', 'a dict']", "{'Hello': f()}", "\xff\xfe"])
def test_broken_file_is_empty_and_noted_never_executed(languages, text):
    write(languages, "de", text)
    T = Translator(languages, "de")
    assert T.accepted_language == "de"
    assert str(T("Hello")) == "Hello"
    assert T.problems and T.problems[0].startswith("de.py:")


def test_undecodable_file_is_noted(languages):
    (languages / "de.py").write_bytes(b"{'Hello': '\xff'}")
    T = Translator(languages, "de")
    assert str(T("Hello")) == "Hello"
    assert "UnicodeDecodeError" in T.problems[0]


def test_missing_keys_are_not_written_by_default(languages):
    before = (languages / "de.py").read_text(encoding="utf-8")
    str(Translator(languages, "de")("New message"))
    assert (languages / "de.py").read_text(encoding="utf-8") == before


def test_writable_translator_adds_missing_keys(languages):
    T = Translator(languages, "it")
    T.is_writable = True
    assert str(T("Goodbye ## farewell")) == "Goodbye"
    stored = ast.literal_eval((languages / "it.py").read_text(encoding="utf-8"))
    assert stored["Goodbye ## farewell"] == "Goodbye"
    assert stored["Hello"] == "Ciao" and stored["!langname!"] == "Italiano"
    assert [p.name for p in languages.iterdir() if p.name.startswith(".tmp")] == []


def test_writable_translator_never_touches_broken_or_default_files(languages):
    write(languages, "de", "{'Hello': ")
    write(languages, "default", "{'Hello': 'Hi'}")
    for accept in ("de", "ja"):
        T = Translator(languages, accept)
        T.is_writable = True
        str(T("Another"))
    assert (languages / "de.py").read_text(encoding="utf-8") == "{'Hello': "
    assert (languages / "default.py").read_text(encoding="utf-8") == "{'Hello': 'Hi'}"


def test_missing_languages_folder_is_fine(tmp_path):
    T = Translator(tmp_path / "nowhere", "it")
    assert T.accepted_language == "en"
    assert str(T("Hello")) == "Hello"
    assert T.get_possible_languages() == ["en"]


# --- through the real pipeline ----------------------------------------------------------------

def test_pipeline_translates_by_accept_language_and_force(root, wsgi_server, http):
    from support import write_app

    write_app(root, "shop", {
        "languages/it.py": "{'Hello': 'Ciao', 'Hello %s': 'Ciao %s', 'A & B': 'A & B <i>'}",
        "languages/de.py": "{'Hello': ",
        "controllers/default.py": """
            def hello():
                return T("Hello")

            def page():
                return dict()

            def forced():
                message = T("Hello")
                T.force("it")
                return message
            """,
        "views/default/page.html": "{{=T('Hello %s', 'Ada')}}|{{=T('A & B')}}",
    })
    base = wsgi_server(root) + "/shop/default"
    assert http(base + "/hello", headers={"Accept-Language": "it-IT,en;q=0.5"}).text == "Ciao"
    assert http(base + "/hello", headers={"Accept-Language": "fr"}).text == "Hello"
    assert http(base + "/hello").text == "Hello"
    broken = http(base + "/hello", headers={"Accept-Language": "de"})
    assert broken.status == 200 and broken.text == "Hello"
    page = http(base + "/page", headers={"Accept-Language": "it"}).text
    assert page == "Ciao Ada|A &amp; B &lt;i&gt;"
    assert http(base + "/forced").text == "Ciao"


# --- plural forms: %%{word} -------------------------------------------------------------------

@pytest.mark.parametrize("n, expected", [(1, "You have 1 book"), (0, "You have 0 books"),
                                         (5, "You have 5 books")])
def test_english_plural_by_first_symbol(languages, n, expected):
    assert str(Translator(languages, "en")("You have %s %%{book}", n)) == expected


def test_plural_forms_with_index_key_number_and_choices(languages):
    T = Translator(languages, "en")
    assert str(T("%s %s %%{box[1]}", ("x", 3))) == "x 3 boxes"
    assert str(T("%(n)s %%{city(n)}", dict(n=2))) == "2 cities"
    assert str(T("%%{word(1)} and %%{word(4)}", ())) == "%%{word(1)} and %%{word(4)}"
    assert str(T("%%{word(1)} and %%{word(4)}", 0)) == "word and words"
    assert str(T("%%{this} %%{is} %%{?a?%s} %%{book}", 1)) == "this is a book"
    assert str(T("%%{this} %%{is} %%{?a?%s} %%{book}", 3)) == "these are 3 books"
    assert str(T("[%%{?%s}]", 1)) == "[]" and str(T("[%%{??%s}]", 7)) == "[7]"


def test_plural_modifiers(languages):
    T = Translator(languages, "en")
    assert str(T("%%{!book}", 2)) == "Book"  # a modifier alone does not count
    assert str(T("%%{!book[0]}", 2)) == "Books"
    assert str(T("%%{!!new item(%s)}", 2)) == "New Items"
    assert str(T("%%{!!!child[0]}", 2)) == "CHILDREN"


def test_plural_file_and_language_rules(languages):
    write(languages, "ru", "{'You have %s %%{book}': 'У вас %s %%{книга}'}")
    write(languages, "plural-ru", "{'книга': ['книги', 'книг']}")
    T = Translator(languages, "ru")
    shown = {n: str(T("You have %s %%{book}", n)) for n in (1, 3, 5, 11, 21, 22)}
    assert shown == {1: "У вас 1 книга", 3: "У вас 3 книги", 5: "У вас 5 книг",
                     11: "У вас 11 книг", 21: "У вас 21 книга", 22: "У вас 22 книги"}
    assert "plural-ru" not in T.get_possible_languages()
    write(languages, "ja", "{'You have %s %%{book}': '%s %%{本}'}")
    assert str(Translator(languages, "ja")("You have %s %%{book}", 4)) == "4 本"


def test_plural_without_a_number_leaves_the_word(languages):
    T = Translator(languages, "en")
    assert str(T("%s %%{book}", "many")) == "many book"


def test_t_output_is_safe_inside_an_attribute(root, live_server):
    from support import raw_exchange, write_app

    write_app(root, "attr", {
        "controllers/default.py": "def index():\n    return dict(q=request.vars.q or '')\n",
        "views/default/index.html": "<a title=\"{{=T('Hi %s', q)}}\" href='#'>{{=T('Hi %s', q)}}</a>",
    })
    url = live_server(root)
    query = "%22%20onmouseover%3D%22alert(1)%27"  # " onmouseover="alert(1)'
    (answer,) = raw_exchange(url, f"GET /attr/default/index?q={query} HTTP/1.1\r\nHost: t\r\n"
                                  "Connection: close\r\n\r\n".encode())
    assert answer.status == 200
    escaped = "Hi &quot; onmouseover=&quot;alert(1)&#x27;"
    assert answer.text == f"<a title=\"{escaped}\" href='#'>{escaped}</a>"
