"""auth.wikimenu(): the wiki-menu page's items, then [Wiki] with what the visitor may do."""

from support import Browser


def test_menu_page_items_nest_and_wiki_entries_follow_the_page(make_wiki, become, save_page):
    base = make_wiki(options=", controller='default', function='wiki'")
    editor = Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "wiki-menu", "Menu",
              "- Home > @////index\n- - News > @////news\n- Elsewhere > http://example.org/")
    menu = editor.get(base + "/showmenu").text.splitlines()
    assert menu[:3] == ["Home|/kb/default/wiki/index|False", "  News|/kb/default/wiki/news|False",
                        "Elsewhere|http://example.org/|False"]
    assert menu[3] == "[Wiki]|None|None"
    assert [line.split("|")[0].strip() for line in menu[4:]] == [
        "Create New Page", "Manage Pages", "Edit Menu", "Search Pages"]


def test_visitors_see_only_the_menu_page_items(make_wiki, become, http):
    base = make_wiki(options=", controller='default', function='wiki'")
    assert http(base + "/showmenu").text == ""
    author = Browser()
    become(author, base, "wiki_author")
    entries = [line.split("|")[0].strip()
               for line in author.get(base + "/showmenu").text.splitlines()]
    assert entries == ["[Wiki]", "Create New Page", "Search Pages"]


def test_on_a_wiki_page_the_menu_offers_its_edit_and_media_pages(make_wiki, become, save_page):
    base, editor = make_wiki(), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "faq", "FAQ", "questions")
    page = editor.get(base + "/wiki/faq").text
    assert 'href="/kb/default/wiki/_edit/faq">Edit Page</a>' in page
    assert 'href="/kb/default/wiki/_editmedia/faq">Edit Page Media</a>' in page
    media = editor.get(base + "/wiki/_editmedia/faq").text
    assert 'href="/kb/default/wiki/faq">View Page</a>' in media
    assert 'href="/kb/default/wiki/_edit/faq">Edit Page</a>' in media
