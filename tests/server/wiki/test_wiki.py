"""auth.wiki() over HTTP: create, edit, read, media, permissions, embedding, html pages."""

import re

import pytest
from form_support import formkey, multipart
from support import Browser, assert_answer


def test_a_missing_page_offers_to_create_it_and_visitors_must_log_in(make_wiki, http):
    base = make_wiki()
    page = http(base + "/wiki").text
    assert '<a class="btn" href="/kb/default/wiki/_create/index">Create page &quot;index&quot;</a>' in page
    assert_answer(http(base + "/wiki/_create"), 303, Location="/kb/default/user/login")
    assert_answer(http(base + "/wiki/_nonsense"), 404, "no such wiki page")


def test_an_editor_creates_a_page_from_its_slug_and_it_renders_as_markmin(make_wiki, become,
                                                                          save_page):
    base, browser = make_wiki(), Browser()
    become(browser, base, "wiki_editor")
    form = browser.get(base + "/wiki/_create").text
    assert "Create Page from Slug" in form
    answer = browser.post(base + "/wiki/_create", {
        "slug": "hello-world", "_formname": "no_table/create",
        "_formkey": formkey(form, "no_table/create")})
    assert_answer(answer, 303, Location="/kb/default/wiki/_edit/hello-world/0")
    assert answer.headers["Location"].endswith(
        "/wiki/_edit/hello-world/0")
    editor = browser.get(base + "/wiki/_edit/hello-world").text
    assert 'value="Hello World"' in editor and "## Hello World" in editor
    saved = save_page(browser, base, "hello-world", "Hello World",
                      "# Greetings\n\n**bold** and [[the index @////index]]", ["Intro", "news"])
    assert_answer(saved, 303, Location="/kb/default/wiki/hello-world")
    page = browser.get(base + "/wiki/hello-world").text
    assert "<h1>Greetings</h1>" in page and "<strong>bold</strong>" in page
    assert '<a href="/kb/default/wiki/index">the index</a>' in page
    assert '<a href="/kb/default/wiki/_search?q=Intro">Intro</a>' in page


def test_authors_edit_their_own_pages_only_and_readers_none(make_wiki, become, save_page):
    base = make_wiki()
    editor, author, reader = Browser(), Browser(), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "rules", "Rules", "Be kind.")
    become(author, base, "wiki_author")
    assert_answer(save_page(author, base, "mine", "Mine", "my page"), 303,
                  Location='/kb/default/wiki/mine')
    assert_answer(author.get(base + "/wiki/_edit/rules"), 401, "not authorized")
    assert_answer(save_page(editor, base, "mine", "Mine", "edited by the editor"), 303,
                  Location='/kb/default/wiki/mine')
    become(reader, base, "somebody")
    assert_answer(reader.get(base + "/wiki/_create"), 401, "not authorized")
    assert_answer(reader.get(base + "/wiki/_edit/mine"), 401, "not authorized")
    assert_answer(reader.get(base + "/wiki/_pages"), 401, "not authorized")
    assert "edited by the editor" in reader.get(base + "/wiki/mine").text
    manage = editor.get(base + "/wiki/_pages").text
    assert '<a href="/kb/default/wiki/rules">Rules</a>' in manage and "@////mine" in manage


def test_managed_permissions_hide_pages_from_other_groups(make_wiki, http, become, save_page):
    base, editor = make_wiki(perms=True), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "secret", "Secret", "hidden words")
    assert "hidden words" in editor.get(base + "/wiki/secret").text
    assert_answer(http(base + "/wiki/secret"), 401, "not authorized")
    stranger = Browser()
    become(stranger, base, "stranger")
    assert_answer(stranger.get(base + "/wiki/secret"), 401, "not authorized")


def test_media_is_uploaded_on_the_page_s_media_grid_and_served_by_id(make_wiki, http, become,
                                                                     save_page):
    base, editor = make_wiki(), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "photos", "Photos", "see below")
    listing = editor.get(base + "/wiki/_editmedia/photos").text
    add = re.search(r'href="(/kb/default/wiki/_editmedia/photos/new/wiki_media[^"]*)"',
                    listing).group(1)
    form = editor.get(base.replace("/kb/default", "") + add).text
    data, headers = multipart({"title": "Logo", "filename": ("logo.png", b"\x89PNG fake"),
                               "_formname": "web2py_grid",
                               "_formkey": formkey(form, "web2py_grid")})
    assert editor.post(base.replace("/kb/default", "") + add, data,
                       headers=headers).status == 303
    grid = editor.get(base + "/wiki/_editmedia/photos").text
    media_id = re.search(r"@////(\d+)/logo\.png", grid).group(1)
    served = http(f"{base}/wiki/{media_id}")
    assert served.status == 200 and served.body == b"\x89PNG fake"
    assert served.headers["Cache-Control"] == "private"
    assert "Content-Disposition" not in served.headers
    assert_answer(http(base + "/wiki/999"), 404, "no such media")


def test_a_view_embeds_a_page_with_auth_wiki_slug(make_wiki, http, become, save_page):
    base, editor = make_wiki(), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "hello", "Hello", "**embedded** text")
    page = http(base + "/embedded").text
    assert page.startswith("<main>") and "<strong>embedded</strong> text" in page


def test_the_html_engine_keeps_the_author_s_markup(make_wiki, become, save_page):
    base, editor = make_wiki(render="html"), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "raw", "Raw", '<p class="x">Hi <a href="@////index">home</a></p>')
    page = editor.get(base + "/wiki/raw").text
    assert '<p class="x">Hi <a href="/kb/default/wiki/index">home</a></p>' in page


def test_preview_renders_the_posted_body_for_authors_only(make_wiki, http, become):
    base, editor = make_wiki(), Browser()
    become(editor, base, "wiki_editor")
    preview = editor.post(base + "/wiki/_preview", {"body": "**draft**"})
    assert preview.status == 200 and "<strong>draft</strong>" in preview.text
    assert_answer(http(base + "/wiki/_preview", data=b"body=x"), 303,
                  Location='/kb/default/user/login')


def test_a_page_loads_as_a_component_and_a_missing_one_as_nothing(make_wiki, http, become,
                                                                   save_page):
    base, editor = make_wiki(), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "part", "Part", "a ''part'' of a page")
    assert http(base + "/wiki.load/part").text.startswith("<p>a <em>part</em> of a page</p>")
    assert http(base + "/wiki.load/nothing").text == ""


@pytest.mark.parametrize("render", ["markmin", "html"])
def test_a_page_embeds_a_component_the_browser_then_loads(make_wiki, http, become, save_page,
                                                          render):
    """web2py's ``@{component:controller/function/args}``: a LOAD(..., ajax=True) of it."""
    base, editor = make_wiki(render=render), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "shop", "Shop", "Now: @{component:default/part/ann}")
    page = editor.get(base + "/wiki/shop").text
    url = re.search(r'fetch\("([^"]+)"', page).group(1)
    assert url == "/kb/default/part.load/ann" and "@{component" not in page
    assert http(base.rsplit("/kb/", 1)[0] + url).text == "the part for ann"
