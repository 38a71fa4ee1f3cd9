"""The parameter-based router on its own: web2py's router examples, and map_out/map_in as inverses."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # an older venv: say so in one test instead of breaking collection
    given = st = None

from server.http import HTTP
from server.routers import RouterError, build, map_in, map_out

NOWHERE = Path("/nonexistent-pocketweb-apps")
ROUTERS = dict(
    BASE=dict(default_application="init"),
    init=dict(controllers=["default", "ctr"], functions=["index", "fcn", "other"],
              languages=["en", "it"], default_language="en"),
    app=dict(controllers=["default", "x"]),
)


@pytest.fixture(scope="module")
def routers():
    return build(ROUTERS, {}, NOWHERE, [], "welcome")


def incoming(routers, path, host="domain.com"):
    route = map_in(routers, {"HTTP_HOST": host}, path, NOWHERE)
    return route.application, route.controller, route.function, route.args, route.language


def outgoing(routers, a, c, f, args=(), language=None):
    args = list(args)
    return map_out(routers, a, c, f, args, language, (None, None)) + "".join(f"/{x}" for x in args)


def test_defaults_are_left_out_where_map_in_restores_them(routers):
    assert outgoing(routers, "init", "default", "index") == "/"
    assert outgoing(routers, "init", "ctr", "index") == "/ctr"
    assert outgoing(routers, "init", "ctr", "fcn") == "/ctr/fcn"
    assert outgoing(routers, "init", "default", "fcn", ["a"]) == "/fcn/a"
    assert outgoing(routers, "init", "default", "index", ["fcn"]) == "/index/fcn"  # ambiguous
    assert outgoing(routers, "app", "default", "index") == "/app"
    assert outgoing(routers, "app", "x", "y", ["z"]) == "/app/x/y/z"
    assert outgoing(routers, "init", "static", "css/a.css") == "/init/static/css/a.css"


def test_languages_in_and_out(routers):
    assert incoming(routers, "/it/fcn/a") == ("init", "default", "fcn", ["a"], "it")
    assert incoming(routers, "/fcn") == ("init", "default", "fcn", [], "en")
    assert outgoing(routers, "init", "default", "fcn", language="it") == "/it/fcn"
    assert outgoing(routers, "init", "default", "fcn", language="en") == "/fcn"
    assert outgoing(routers, "init", "default", "fcn", language="fr") == "/fcn"


def test_incoming_names_and_bad_ones(routers):
    assert incoming(routers, "/") == ("init", "default", "index", [], "en")
    assert incoming(routers, "/app/x/y/z") == ("app", "x", "y", ["z"], None)
    assert incoming(routers, "/ctr/fcn.json/1") == ("init", "ctr", "fcn", ["1"], "en")
    with pytest.raises(HTTP) as bad:
        incoming(routers, "/fcn/a<b")
    assert bad.value.status == 400


def test_domains_name_the_app_and_its_controller():
    routers = build(dict(BASE=dict(domains={"a.com": "app", "b.com:8080": "init/ctr"}),
                         init=dict(controllers=["default", "ctr"])),
                    {}, NOWHERE, ["app", "init"], "welcome")
    assert incoming(routers, "/", host="a.com")[:3] == ("app", "default", "index")
    assert incoming(routers, "/fcn", host="b.com:8080")[:3] == ("init", "ctr", "fcn")
    with pytest.raises(HTTP):  # b.com on another port: the default app, here not installed
        incoming(routers, "/", host="b.com")
    assert map_out(routers, "init", "ctr", "fcn", [], None, ("init", "ctr")) == "/fcn"


@pytest.mark.parametrize("bad, message", [
    (dict(BASE=dict(default_aplication="x")), "unknown key"),
    (dict(BASE=dict(), app=dict(default_application="x")), "BASE-only"),
    (dict(BASE=dict(domains={"a.com": "ghost"})), "unknown app 'ghost'"),
    (dict(BASE=dict(acfe_match="(")), "bad pattern"),
])
def test_unusable_routers_say_why(bad, message):
    with pytest.raises(RouterError, match=message):
        build(bad, {}, NOWHERE, ["app"], "welcome")


def test_hypothesis_is_installed():
    assert given is not None, "hypothesis missing: .venv/bin/pip install -e '.[dev]'"


if given is None:
    def given(**_):  # noqa: F811 - lets the module load; the test above reports the problem
        return lambda test: pytest.mark.skip(reason="hypothesis missing")(test)

    class st:  # noqa: N801
        sampled_from = lists = staticmethod(lambda *a, **k: None)

NAMES = st.sampled_from(["index", "fcn", "other", "ctr", "x", "default", "app", "init", "y"])


@given(application=st.sampled_from(["init", "app"]), controller=NAMES, function=NAMES,
       args=st.lists(NAMES, max_size=3), language=st.sampled_from([None, "en", "it"]))
def test_map_in_reads_back_what_map_out_wrote(application, controller, function, args,
                                              language):
    routers = build(ROUTERS, {}, NOWHERE, [], "welcome")
    router = routers.apps[application]
    if router.controllers and controller not in router.controllers:
        controller = "default"  # map_in can only name a listed controller
    listed = router.functions.get(controller)
    if listed and function not in listed:
        function = "index"  # ...and, where functions are listed, a listed function
    url = outgoing(routers, application, controller, function, args, language)
    a, c, f, back, lang = incoming(routers, url)
    assert (a, c, f, back) == (application, controller, function, args)
    if application == "init":
        assert lang == (language or "en")
