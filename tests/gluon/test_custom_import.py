"""gluon.custom_import: an app's modules import each other, packages and fromlist included."""

from support import write_app

from gluon.custom_import import custom_importer, is_tracking_changes


def test_imports_inside_app_modules_find_the_apps_modules_first(root, wsgi_server, http):
    write_app(root, "mods", {
        "modules/helper.py": "def shout(text):\n    return text.upper()\n",
        "modules/greeting.py": "import helper\n\ndef greet():\n    return helper.shout('hi')\n",
        "modules/tools/__init__.py": "",
        "modules/tools/maths.py": "def double(x):\n    return 2 * x\n",
        "modules/tools/deep/__init__.py": "from . import inner\n",
        "modules/tools/deep/inner.py": "VALUE = 'inner'\n",
        "modules/json.py": "MINE = True\n",  # an app module shadows a standard one, as in web2py
        "controllers/default.py": """
            import greeting
            from tools import maths
            import tools.deep
            from tools.deep.inner import VALUE
            import json
            def index():
                return '%s %s %s %s %s' % (greeting.greet(), maths.double(21),
                                           tools.deep.inner.VALUE, VALUE, json.MINE)
        """,
    })
    assert http(wsgi_server(root) + "/mods/default/index").text == "HI 42 inner inner True"


def test_outside_a_request_it_is_the_plain_import():
    assert custom_importer("json").dumps([1]) == "[1]"
    assert is_tracking_changes() is True
