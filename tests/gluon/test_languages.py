"""gluon.languages: TranslatorFactory/lazyT, language files, findT and update_all_languages."""

from support import write_app

from gluon.languages import (
    TranslatorFactory,
    findT,
    lazyT,
    read_dict,
    read_possible_languages,
    update_all_languages,
    write_dict,
)


def test_translator_factory_translates_lazily(tmp_path):
    (tmp_path / "it.py").write_text("{'Hello': 'Ciao', '!langname!': 'Italiano'}")
    T = TranslatorFactory(tmp_path, "it-IT,it;q=0.9")  # noqa: N806 - web2py's name
    message = T("Hello")
    assert isinstance(message, lazyT) and str(message) == "Ciao"


def test_read_and_write_dict(tmp_path):
    target = str(tmp_path / "fr.py")
    write_dict(target, {"Hello": "Bonjour", "!langcode!": "fr"})
    assert read_dict(target) == {"Hello": "Bonjour", "!langcode!": "fr"}
    assert read_dict(str(tmp_path / "none.py")) == {}


def test_read_possible_languages_gives_web2pys_tuple(tmp_path):
    (tmp_path / "ru.py").write_text("{'!langcode!': 'ru', '!langname!': 'Русский'}")
    (tmp_path / "plural-ru.py").write_text("{}")
    info = read_possible_languages(str(tmp_path))["ru"]
    assert info[:2] == ("ru", "Русский") and info[3] == "plural-ru.py" and info[5] == "ru"
    assert info[6] == 3  # Russian has three plural forms
    assert (info[7](1), info[7](3), info[7](5)) == (0, 1, 2)


def test_findT_collects_every_message_of_the_app(root):
    app = write_app(root, "words", {
        "models/db.py": "x = T('From the model')\n",
        "controllers/default.py": 'def index():\n    return T("In %s", "x") + T.M("**bold**")\n',
        "views/default/index.html": "{{=T('In a view')}}",
        "modules/helper.py": "from gluon import current\nLABEL = current.T('From a module')\n",
        "languages/it.py": "{'From the model': 'Dal modello'}",
    })
    findT(str(app), "it")
    translations = read_dict(str(app / "languages" / "it.py"))
    assert translations["From the model"] == "Dal modello"  # kept
    for message in ("In %s", "**bold**", "In a view", "From a module"):
        assert translations[message] == message
    (app / "languages" / "es.py").write_text("{}")
    update_all_languages(str(app))
    assert "In a view" in read_dict(str(app / "languages" / "es.py"))


def test_regex_translate_finds_each_t_literal_as_web2py_does():
    """web2py's regex_translate (Sahana Eden translates T() inside format strings with it): the
    quoted literal right after ``T(``, quotes kept; ``T.M(`` and ``myT(`` are not T calls."""
    from gluon.languages import regex_translate

    text = """%(name)s T("a b") T('it\\'s') T.M("no") myT("no") T(\"\"\"x"y\"\"\")"""
    assert regex_translate.findall(text) == ['"a b"', "'it\\'s'", '"""x"y"""']
