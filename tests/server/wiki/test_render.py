"""Wiki page bodies to HTML: markmin, html, ``@/`` links, tags, and the render= choices."""

import pytest

from server.current import current
from server.storage import Storage
from server.wiki.render import (
    at_url,
    choose_renderer,
    component,
    html_render,
    markmin_render,
    render_tags,
)


@pytest.fixture(autouse=True)
def request_to_the_wiki():
    current.request = Storage(application="kb", controller="default", function="wiki",
                              args=[], vars=Storage(), env=Storage())
    yield
    del current.request


def page(body, tags=(), render=None):
    return Storage(body=body, tags=list(tags), render=render)


def test_at_links_fill_in_the_current_app_controller_and_function():
    assert at_url("@////index") == "/kb/default/wiki/index"
    assert at_url("@////12/logo.png") == "/kb/default/wiki/12/logo.png"
    assert at_url("@/other/c/f/x") == "/other/c/f/x"
    assert at_url("@///about") == "/kb/default/about"


def test_tags_link_to_the_search():
    assert render_tags([" cats ", "", "a&b"]).xml() == (
        '<div class="w2p_wiki_tags"><a href="/kb/default/wiki/_search?q=cats">cats</a>'
        '<a href="/kb/default/wiki/_search?q=a%26b">a&amp;b</a></div>')
    assert render_tags(None).xml() == '<div class="w2p_wiki_tags"></div>'


def test_markmin_is_escaped_and_resolves_at_links():
    html = markmin_render(page("**b** <script>x</script> [[home @////index]]", ["t"]))
    assert "<strong>b</strong>" in html and "<script>" not in html
    assert '<a href="/kb/default/wiki/index">home</a>' in html
    assert html.endswith('<a href="/kb/default/wiki/_search?q=t">t</a></div>')


def test_html_keeps_markup_and_resolves_at_links():
    html = html_render(page('<b>hi</b> <a href="@////faq">faq</a> <img src="@////3/x.png">'))
    assert '<b>hi</b> <a href="/kb/default/wiki/faq">faq</a>' in html
    assert 'src="/kb/default/wiki/3/x.png"' in html


def test_render_choices():
    assert choose_renderer("html", {}, {})(page("<b>x</b>")).startswith("<b>x</b>")
    assert "<strong>" in choose_renderer("markmin", {}, {})(page("**x**"))
    custom = choose_renderer(lambda p: p.body.upper(), {}, {})
    assert custom(page("abc")) == "ABC"
    several = choose_renderer({"shout": lambda p: p.body + "!"}, {}, {})
    assert several(page("hey", render="shout")) == "hey!"
    assert several(page("<b>x</b>", render="html")).startswith("<b>x</b>")
    assert "<strong>" in several(page("**x**", render=None))
    with pytest.raises(ValueError, match="unknown wiki render engine"):
        choose_renderer("rst", {}, {})
    with pytest.raises(ValueError, match="invalid wiki render"):
        choose_renderer(3, {}, {})


def test_a_component_is_an_action_the_browser_loads_into_the_page():
    html = component("shop/cart/3/x")
    assert html.startswith('<div id="c') and "loading..." in html
    assert 'fetch("/kb/shop/cart.load/3/x"' in html
    environment = {"component": component}
    for rendered in (markmin_render(page("see @{component:shop/cart}"), {}, environment),
                     html_render(page("<p>see @{component:shop/cart}</p>"), environment)):
        assert 'fetch("/kb/shop/cart.load"' in rendered and "@{" not in rendered
    broken = markmin_render(page("@{component:nofunction}"), {}, environment)
    assert "ERROR: a component is named controller/function" in broken
