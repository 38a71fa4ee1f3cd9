"""Compiling an app into compiled/ (web2py's file names and byte-code), and removing that form:
a file that does not compile is named with its line and leaves the app as it was."""

from __future__ import annotations

import importlib.util
import marshal
import os

import pytest
from support import write_app

from server.manage.app_compiling import (
    CompileError,
    compile_app,
    is_compiled,
    remove_compiled,
)
from server.manage.app_folders import AppError, AppNameError, AppNotFoundError

FILES = {
    "models/db.py": "x = 1\n",
    "models/default/extra.py": "y = 2\n",
    "controllers/default.py": "def index():\n    return 'i'\n\ndef about():\n    return 'a'\n\n"
                              "def _hidden():\n    pass\n\ndef takes(x):\n    pass\n",
    "controllers/api.py": "def ping():\n    return 'pong'\n",
    "views/layout.html": "<html>{{include 'parts/head.html'}}{{include}}</html>",
    "views/parts/head.html": "<head></head>\n",
    "views/default/index.html": "{{extend 'layout.html'}}<p>{{=1}}</p>",
    "views/default/.index.html.swp": "not a view",
}


@pytest.fixture
def app(root):
    return write_app(root, "shop", FILES)


def compiled_names(app):
    return sorted(os.listdir(app / "compiled"))


def leftovers(app):
    return [name for name in os.listdir(app) if name.startswith(".compiled")]


def test_every_model_controller_function_and_view_is_written_as_web2py_names_them(root, app):
    counts = compile_app(root, "shop")
    assert (counts.models, counts.functions, counts.views, counts.files) == (2, 3, 3, 8)
    assert [name for name in compiled_names(app) if name.endswith(".pyc")] == [
        "controllers.api.ping.pyc", "controllers.default.about.pyc",
        "controllers.default.index.pyc", "models.db.pyc", "models.default.extra.pyc",
        "views.default.index.html.pyc", "views.layout.html.pyc", "views.parts.head.html.pyc"]
    data = (app / "compiled/models.db.pyc").read_bytes()
    assert data[:4] == importlib.util.MAGIC_NUMBER  # py_compile's layout: 16 bytes of header
    namespace: dict = {}
    exec(marshal.loads(data[16:]), namespace)  # noqa: S102 - the model just compiled
    assert namespace["x"] == 1
    assert is_compiled(root, "shop") and leftovers(app) == []


def test_a_syntax_error_names_the_file_and_line_and_keeps_the_previous_form(root, app):
    compile_app(root, "shop")
    before = {name: (app / "compiled" / name).read_bytes() for name in compiled_names(app)}
    (app / "controllers/api.py").write_text("def ping():\n    return 'pong'\n\ndef bad(:\n")
    with pytest.raises(CompileError) as raised:
        compile_app(root, "shop")
    assert str(raised.value) == "controllers/api.py line 4: invalid syntax"
    assert (raised.value.path, raised.value.line) == ("controllers/api.py", 4)
    assert {name: (app / "compiled" / name).read_bytes()
            for name in compiled_names(app)} == before
    assert leftovers(app) == []


def test_a_first_compile_that_fails_leaves_no_compiled_folder(root, app):
    (app / "models/db.py").write_text("x = 1\ny = (\n")
    with pytest.raises(CompileError, match=r"^models/db.py line 2: '\(' was never closed$"):
        compile_app(root, "shop")
    assert not (app / "compiled").exists() and leftovers(app) == []


def test_a_view_error_is_at_the_template_file_and_line_it_is_in(root, app):
    (app / "views/parts/head.html").write_text("<head>\n\n{{=a b}}</head>\n")
    with pytest.raises(CompileError) as raised:
        compile_app(root, "shop")
    assert (raised.value.path, raised.value.line) == ("views/parts/head.html", 3)


def test_failed_views_can_be_skipped_and_listed(root, app):
    (app / "views/default/broken.html").write_text("{{if True:}}never closed")
    with pytest.raises(CompileError, match="^views/default/broken.html: .*missing \"pass\""):
        compile_app(root, "shop")
    counts = compile_app(root, "shop", skip_failed_views=True)
    assert counts.failed_views == ["default/broken.html"] and counts.views == 3
    assert "views.default.broken.html.pyc" not in compiled_names(app)


def test_a_dotted_model_name_is_refused_as_it_would_run_under_other_rules(root, app):
    (app / "models/menu.v2.py").write_text("z = 3\n")
    with pytest.raises(CompileError, match="^models/menu.v2.py: a model's name may not"):
        compile_app(root, "shop")


def test_a_source_leading_outside_the_app_is_refused(root, app, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.py"
    outside.write_text("secret = 1\n")
    (app / "models/linked.py").symlink_to(outside)
    with pytest.raises(CompileError, match="^models/linked.py: leads outside the application$"):
        compile_app(root, "shop")
    assert not (app / "compiled").exists()


def test_a_compiled_link_out_of_the_app_is_never_followed(root, app, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "keep.txt").write_text("mine")
    (app / "compiled").symlink_to(outside, target_is_directory=True)
    with pytest.raises(AppError, match="shop/compiled leads outside the application"):
        remove_compiled(root, "shop")
    with pytest.raises(AppError, match="shop/compiled leads outside the application"):
        compile_app(root, "shop")
    assert (outside / "keep.txt").read_text() == "mine" and leftovers(app) == []


def test_remove_deletes_the_compiled_form_and_old_controller_byte_code(root, app):
    compile_app(root, "shop")
    (app / "controllers/default.pyc").write_bytes(b"old web2py")
    assert remove_compiled(root, "shop") is True
    assert not (app / "compiled").exists() and not (app / "controllers/default.pyc").exists()
    assert (app / "controllers/default.py").is_file()
    assert remove_compiled(root, "shop") is False and not is_compiled(root, "shop")


def test_application_names_are_checked(root):
    with pytest.raises(AppNameError):
        compile_app(root, "../etc")
    with pytest.raises(AppNotFoundError):
        remove_compiled(root, "absent")
