import io

from support import write_app

from server.hosting.application import hosted_application
from server.options import ServerOptions


def call(application, path: str) -> tuple[str, bytes]:
    answer = {}
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(),
               "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": True,
               "wsgi.multiprocess": False, "wsgi.run_once": False}
    body = b"".join(application(environ, lambda status, headers, exc_info=None: answer.update(status=status)))
    return answer["status"], body


def test_the_hosted_application_serves_the_root_folders_apps(root):
    write_app(root, "hello", {"controllers/default.py": "def index():\n    return 'hi'\n"})
    application = hosted_application(root, ServerOptions())
    assert call(application, "/hello/default/index") == ("200 OK", b"hi")
    assert call(application, "/missing/default/index")[0].startswith("404")
