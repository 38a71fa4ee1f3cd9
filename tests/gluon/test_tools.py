"""gluon.tools: the helpers apps import beside Auth/Crud: callback, replace_id, addrow, DEFAULT,
redirect."""

import pytest
from support import write_app

from gluon.html import DIV, FORM, INPUT, TABLE, TR
from gluon.http import HTTP
from gluon.storage import Storage
from gluon.tools import DEFAULT, addrow, callback, redirect


def test_callback_runs_one_a_list_or_the_tables_actions():
    seen = []
    form = Storage(vars=Storage(id=3))
    callback(lambda f: seen.append("one"), form)
    callback([lambda f: seen.append("a"), lambda f: seen.append("b")], form)
    callback({"person": lambda f: seen.append("person"), "dog": lambda f: seen.append("dog")},
             form, "person")
    callback(None, form)
    assert seen == ["one", "a", "b", "person"]


def test_replace_id_in_a_served_app(root, wsgi_server, http):
    write_app(root, "nexts", {"controllers/default.py": """
        from gluon.tools import replace_id
        from gluon.storage import Storage
        def index():
            form = Storage(vars=Storage(id=7))
            return '|'.join([replace_id('/x/show/[id]', form), replace_id('http://h/[id]', form),
                             replace_id('companies', form)])
    """})
    assert http(wsgi_server(root) + "/nexts/default/index").text == \
        "/x/show/7|http://h/7|/nexts/default/companies"


def test_addrow_inserts_before_the_last_row():
    form = FORM(TABLE(TR("first"), TR("submit")))
    addrow(form, "Extra", INPUT(_name="extra"), "help", "table3cols", "extra__row")
    html = form.xml()
    assert html.index("first") < html.index('id="extra__row"') < html.index("submit")
    assert "<label>Extra</label>" in html


def test_default_and_redirect():
    assert DEFAULT is not None
    with pytest.raises(HTTP):
        redirect("/x")


def test_expose_recaptcha_fetch_and_geocoding_are_pocketweb_s():
    from gluon import tools
    from server.toolkit import expose, geocoding, recaptcha, url_fetch

    assert tools.Expose is expose.Expose and tools.Recaptcha2 is recaptcha.Recaptcha2
    assert tools.fetch is url_fetch.fetch
    assert (tools.geocode, tools.reverse_geocode) == (geocoding.geocode,
                                                      geocoding.reverse_geocode)
    assert issubclass(tools.Recaptcha2, DIV)  # a helper apps append to forms, as in web2py


def test_wiki_is_pocketweb_s_and_auth_serves_it():
    from gluon import tools
    from server.wiki import wiki

    assert tools.Wiki is wiki.Wiki
    assert callable(tools.Auth.wiki) and callable(tools.Auth.wikimenu)
