"""The gluon namespace lets web2py-style imports work, in tests and inside a served app."""

from support import write_app


def test_usual_imports():
    from gluon import DAL, IS_NOT_EMPTY, SPAN, URL, Field, current  # noqa: F401
    from gluon.http import HTTP, redirect  # noqa: F401
    from gluon.serializers import json
    from gluon.storage import Storage
    from gluon.tools import Auth, Crud, Mail, Service  # noqa: F401

    assert Storage(a=1).a == 1 and Storage().missing is None
    assert json({"a": [1]}) == '{"a": [1]}'


def test_a_web2py_module_runs_unchanged(root, wsgi_server, http):
    write_app(root, "legacy", {
        "modules/greeting.py": """
            from gluon import current, SPAN

            def greet():
                return SPAN('hi ' + current.request.function).xml()
        """,
        "controllers/default.py": """
            from gluon.storage import Storage
            import greeting

            def index():
                return greeting.greet()
        """,
    })
    assert http(wsgi_server(root) + "/legacy/default/index").text == "<span>hi index</span>"
