"""LOAD: components run inside the page, or fetched by the browser."""

COMPONENT_APP = {
    "models/db.py": "counter = ['model ran']\n",
    "controllers/default.py": """
        def index():
            return dict()

        def lazy():
            return dict()

        def box():
            counter.append('box')
            session.seen = True
            return SPAN('box %s %s %s' % (request.args(0), request.vars.k, len(counter)))
    """,
    "views/default/index.html": "<main>{{=LOAD('default', 'box', args=[7], vars=dict(k='v'))}}"
                                "</main>{{=request.function}}",
    "views/default/lazy.html": "{{=LOAD('default', 'box.load', ajax=True, target='here')}}",
}


def test_load_runs_a_component_inside_the_page(root, wsgi_server, browser):
    from support import write_app

    write_app(root, "comp", COMPONENT_APP)
    base = wsgi_server(root) + "/comp/default"
    page = browser.get(base + "/index").text
    # one model run shared with the page; the page's own request is intact afterwards
    assert '<div id="c' in page and "<span>box 7 v 2</span>" in page
    assert page.endswith("</main>index")


def test_load_with_ajax_fetches_the_component_in_the_browser(root, wsgi_server, http):
    from support import write_app

    write_app(root, "comp", COMPONENT_APP)
    base = wsgi_server(root) + "/comp/default"
    page = http(base + "/lazy").text
    assert '<div id="here">loading...</div><script><!--\n' in page
    assert 'fetch("/comp/default/box.load"' in page
    assert http(base + "/box.load/1").text == "<span>box 1 None 2</span>"
