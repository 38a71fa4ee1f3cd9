"""RequestCaches: what requests reuse lives in the Application, not in module globals."""

import wsgiref.util

from support import write_app

from server.request_caches import RequestCaches
from server.wsgi import make_application


def _get(application, path: str) -> bytes:
    environ = {"PATH_INFO": path}
    wsgiref.util.setup_testing_defaults(environ)
    return b"".join(application(environ, lambda status, headers, exc_info=None: None))


def test_two_applications_share_no_compiled_code(root):
    write_app(root, "a", {"models/db.py": "x = 1\n",
                          "controllers/default.py": "def index():\n    return str(x)\n"})
    first, second = make_application(root), make_application(root)
    assert _get(first, "/a/default/index") == b"1"
    assert _get(first, "/a/default/index") == b"1"
    assert first.caches.code.compilations == 2  # the model and the controller, once
    assert second.caches.code.compilations == 0
    assert _get(second, "/a/default/index") == b"1"
    assert second.caches.code.compilations == 2


def test_the_model_listing_notices_a_new_model_file(root):
    app = write_app(root, "a", {"models/a.py": "x = 1\n"})
    caches = RequestCaches()
    assert caches.models.files(app) == ["a.py"]
    (app / "models" / "b.py").write_text("y = 2\n")
    assert caches.models.files(app) == ["a.py", "b.py"]


def test_one_cache_object_per_app(root):
    app = write_app(root, "a", {})
    caches = RequestCaches()
    assert caches.app_cache("a", app) is caches.app_cache("a", app)
    assert RequestCaches().app_cache("a", app) is not caches.app_cache("a", app)
