"""The wiki's search and tag cloud over HTTP."""

from support import Browser, assert_answer


def test_search_by_tag_or_title_and_the_tag_cloud(make_wiki, become, save_page):
    base, browser = make_wiki(), Browser()
    become(browser, base, "wiki_editor")
    save_page(browser, base, "cats", "About Cats", "Cats purr.\n\nMore.", ["pets", "cats"])
    save_page(browser, base, "dogs", "About Dogs", "Dogs bark.", ["pets"])
    save_page(browser, base, "cars", "Fast Cars", "Cars go.", [])
    pets = browser.get(base + "/wiki/_search?q=pets").text
    assert 'href="/kb/default/wiki/cats">About Cats</a>' in pets and "About Dogs" in pets
    assert "Cats purr." in pets and "More." not in pets and "Fast Cars" not in pets
    by_title = browser.get(base + "/wiki/_search?q=Fast").text
    assert "Fast Cars" in by_title and "About Cats" not in by_title
    assert "No results" in browser.get(base + "/wiki/_search?q=zebras").text
    cloud = browser.get(base + "/wiki/_cloud").text
    assert 'class="w2p_cloud"' in cloud and ">pets</a>" in cloud and "font-size:2.80em" in cloud


def test_recent_pages_of_one_author_newest_first(make_wiki, become, save_page, http):
    base, editor = make_wiki(), Browser()
    become(editor, base, "wiki_editor")
    save_page(editor, base, "first", "First", "one")
    save_page(editor, base, "second", "Second", "two")
    recent = http(base + "/wiki/_recent/1").text
    assert recent.index("Second") < recent.index("First")
    assert "First" not in http(base + "/wiki/_recent/2").text
    assert_answer(http(base + "/wiki/_recent/me"), 404, "no such author")
