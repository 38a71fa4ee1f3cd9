"""server/static.py: real files in a temp static/ folder, served directly and over real HTTP."""

from __future__ import annotations

import os
import sys
import urllib.parse
from email.utils import formatdate

import pytest
from support import assert_answer

from server.hosting.httpd import WebServer
from server.static import CHUNK_SIZE, FileChunks, content_type, parse_range, serve_static

BIG = bytes(range(256)) * 1024  # 256 KiB: several chunks


@pytest.fixture
def static(tmp_path):
    folder = tmp_path / "app" / "static"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "site.css").write_text("body { color: red }\n", encoding="utf-8")
    (folder / "big.bin").write_bytes(BIG)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (tmp_path / "app" / "secret.txt").write_text("top secret", encoding="utf-8")
    return folder


class Answer:
    """What a direct WSGI call produced."""

    def __init__(self, status, headers, body):
        self.status = int(status.split()[0])
        self.reason = status.split(" ", 1)[1]
        self.headers = dict(headers)
        self.body = body


def call(static_folder, relative, method="GET", **headers):
    environ = {"REQUEST_METHOD": method}
    environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
    captured = {}

    def start_response(status, header_list, exc_info=None):
        captured["status"], captured["headers"] = status, header_list

    result = serve_static(environ, start_response, static_folder, relative)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Answer(captured["status"], captured["headers"], body)


# --- direct calls -----------------------------------------------------------------------------

def test_serves_a_text_file_with_type_length_and_validators(static):
    answer = call(static, "css/site.css")
    assert (answer.status, answer.reason) == (200, "OK")
    assert answer.body == b"body { color: red }\n"
    assert answer.headers["Content-Type"] == "text/css; charset=utf-8"
    assert answer.headers["Content-Length"] == str(len(answer.body))
    assert answer.headers["ETag"].startswith('"')
    stamp = os.stat(static / "css" / "site.css").st_mtime
    assert answer.headers["Last-Modified"] == formatdate(stamp, usegmt=True)
    assert answer.headers["Accept-Ranges"] == "bytes"


def test_static_files_forbid_content_type_sniffing(static):
    """``nosniff``: a browser must not run an uploaded .txt as a script because it looks like one."""
    for relative, headers in (("css/site.css", {}), ("logo.png", {}), ("big.bin", {"range": "bytes=0-1"})):
        answer = call(static, relative, **headers)
        assert answer.status in (200, 206)
        assert answer.headers["X-Content-Type-Options"] == "nosniff", relative


def assert_plain_error(answer, status, reason, method="GET"):
    """An error answer: the status line's reason, a plain-text body saying it, a right length."""
    body = f"{status} {reason}\n".encode()
    assert (answer.status, answer.reason) == (status, reason)
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.headers["Content-Length"] == str(len(body))
    assert answer.body == (b"" if method == "HEAD" else body)


def test_binary_type_has_no_charset(static):
    assert call(static, "logo.png").headers["Content-Type"] == "image/png"
    assert content_type(static / "x.tar.gz") == "application/gzip"
    assert content_type(static / "noext") == "application/octet-stream"
    assert content_type(static / "app.js").endswith("; charset=utf-8")


def test_compression_unknown_to_us_is_plain_bytes(static, monkeypatch):
    import mimetypes

    mimetypes.init()
    monkeypatch.setitem(mimetypes.encodings_map, ".zst", "zstd")
    assert content_type(static / "x.tar.zst") == "application/octet-stream"
    assert content_type(static / "x.tar.bz2") == "application/x-bzip2"


def test_big_file_is_streamed_in_chunks(static):
    environ = {"REQUEST_METHOD": "GET"}
    body = serve_static(environ, lambda *a: None, static, "big.bin")
    assert isinstance(body, FileChunks)
    chunks = list(body)
    assert len(chunks) == len(BIG) // CHUNK_SIZE
    assert all(len(chunk) <= CHUNK_SIZE for chunk in chunks)
    assert b"".join(chunks) == BIG
    assert body.handle.closed


def test_closing_an_unfinished_body_closes_the_file(static):
    body = serve_static({"REQUEST_METHOD": "GET"}, lambda *a: None, static, "big.bin")
    next(body)
    body.close()
    assert body.handle.closed


@pytest.mark.parametrize("relative", ["../secret.txt", "css/../../secret.txt", "/etc/passwd",
                                      "..\\secret.txt", "\\etc\\passwd", "css/\x00x",
                                      "../../../../etc/passwd"])
def test_escapes_are_refused_with_403(static, relative):
    answer = call(static, relative)
    assert_plain_error(answer, 403, "Forbidden")
    assert b"secret" not in answer.body
    assert_plain_error(call(static, relative, method="HEAD"), 403, "Forbidden", method="HEAD")


@pytest.mark.parametrize("relative", ["", "css", "css/", "missing.css", "%2e%2e/secret.txt"])
def test_directories_and_missing_files_are_404(static, relative):
    assert_plain_error(call(static, relative), 404, "Not Found")
    assert_plain_error(call(static, relative, method="HEAD"), 404, "Not Found", method="HEAD")


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_symlink_leading_out_of_static_is_refused(static):
    (static / "leak.txt").symlink_to(static.parent / "secret.txt")
    (static / "inside.css").symlink_to(static / "css" / "site.css")
    assert_answer(call(static, "leak.txt"), 403, "403 Forbidden")
    assert call(static, "inside.css").body == b"body { color: red }\n"


def test_only_get_and_head_are_allowed(static):
    for method in ("POST", "put", "DELETE"):
        answer = call(static, "css/site.css", method=method)
        assert_plain_error(answer, 405, "Method Not Allowed")
        assert answer.headers["Allow"] == "GET, HEAD"
    assert call(static, "css/site.css", method="get").status == 200
    assert call(static, "css/site.css", method="head").body == b""


def test_head_sends_headers_only(static):
    answer = call(static, "big.bin", method="HEAD")
    assert answer.status == 200
    assert answer.body == b""
    assert answer.headers["Content-Length"] == str(len(BIG))


def test_etag_and_date_revalidation_give_304(static):
    first = call(static, "css/site.css")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    not_modified = call(static, "css/site.css", if_none_match=etag)
    assert (not_modified.status, not_modified.reason, not_modified.body) == (304, "Not Modified", b"")
    assert not_modified.headers["ETag"] == etag and "Content-Type" not in not_modified.headers
    assert_answer(call(static, "css/site.css", if_none_match=f'"x",{etag}'), 304)
    assert_answer(call(static, "css/site.css", if_none_match=f'"x", W/{etag}'), 304)
    assert_answer(call(static, "css/site.css", if_none_match="*"), 304)
    assert call(static, "css/site.css", if_none_match='"other"').status == 200
    assert_answer(call(static, "css/site.css", if_modified_since=modified), 304)
    past = formatdate(0, usegmt=True)
    assert call(static, "css/site.css", if_modified_since=past).status == 200
    assert call(static, "css/site.css", if_modified_since="garbage").status == 200
    # If-None-Match wins over a matching date
    assert call(static, "css/site.css", if_none_match='"o"',
                if_modified_since=modified).status == 200


def test_etag_changes_when_the_file_changes(static):
    before = call(static, "css/site.css").headers["ETag"]
    target = static / "css" / "site.css"
    target.write_text("body { color: blue; }\n", encoding="utf-8")
    os.utime(target, ns=(0, os.stat(target).st_mtime_ns + 10_000_000_000))
    after = call(static, "css/site.css", if_none_match=before)
    assert after.status == 200
    assert after.headers["ETag"] != before


@pytest.mark.parametrize("header, first, last", [
    ("bytes=0-9", 0, 9), ("bytes=100-", 100, len(BIG) - 1), ("bytes=-10", len(BIG) - 10,
                                                             len(BIG) - 1),
    ("bytes=5-999999999", 5, len(BIG) - 1), ("bytes=-999999999", 0, len(BIG) - 1),
    ("bytes=5-5", 5, 5), ("bytes = 3-4", 3, 4), (f"bytes={len(BIG) - 1}-", len(BIG) - 1, len(BIG) - 1),
])
def test_single_ranges_give_206(static, header, first, last):
    answer = call(static, "big.bin", range=header)
    assert (answer.status, answer.reason) == (206, "Partial Content")
    assert answer.body == BIG[first:last + 1]
    assert answer.headers["Content-Range"] == f"bytes {first}-{last}/{len(BIG)}"
    assert answer.headers["Content-Length"] == str(last - first + 1)


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0"])
def test_unsatisfiable_range_gives_416(static, header):
    answer = call(static, "big.bin", range=header)
    assert_plain_error(answer, 416, "Requested Range Not Satisfiable")
    assert answer.headers["Content-Range"] == f"bytes */{len(BIG)}"
    head = call(static, "big.bin", method="HEAD", range=header)
    assert_plain_error(head, 416, "Requested Range Not Satisfiable", method="HEAD")


def test_any_range_of_an_empty_file_is_unsatisfiable(static):
    assert_answer(call(static, "empty.txt", range="bytes=0-"), 416,
                  "416 Requested Range Not Satisfiable")
    assert call(static, "empty.txt", range="bytes=-5").headers["Content-Range"] == "bytes */0"
    assert call(static, "empty.txt").body == b""


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-2", "bytes=-",
                                    "bytes=a-b"])
def test_multi_or_malformed_ranges_serve_the_whole_file(static, header):
    answer = call(static, "big.bin", range=header)
    assert answer.status == 200
    assert answer.body == BIG


def test_if_range_mismatch_serves_the_whole_file(static):
    etag = call(static, "big.bin").headers["ETag"]
    assert call(static, "big.bin", range="bytes=0-3", if_range=etag).status == 206
    assert call(static, "big.bin", range="bytes=0-3", if_range='"old"').status == 200


def test_parse_range_edges():
    assert parse_range(None, 10) is None
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=10-", 10) == "unsatisfiable"
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=-1", 1) == (0, 0)
    assert parse_range("bytes=-1", 0) == "unsatisfiable"


def test_version_segment_is_stripped_and_cached_far_ahead(static):
    answer = call(static, "_1.2.3/css/site.css")
    assert answer.status == 200
    assert answer.body == b"body { color: red }\n"
    assert answer.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert answer.headers["Expires"] == "Thu, 31 Dec 2037 23:59:59 GMT"
    assert call(static, "./_1.2.3/css/site.css").headers["Expires"] == answer.headers["Expires"]
    plain = call(static, "css/site.css")
    assert plain.headers["Cache-Control"] == "no-cache"
    assert "Expires" not in plain.headers
    for not_a_version in ("_x1", "_1.2", "_1.2.3.4"):  # just missing folders
        assert_answer(call(static, f"{not_a_version}/css/site.css"), 404, "404 Not Found")


# --- real HTTP --------------------------------------------------------------------------------

@pytest.fixture
def static_server(static):
    """A real cheroot server whose only job is serve_static under /static/."""

    def app(environ, start_response):
        raw = environ["PATH_INFO"].encode("latin-1").decode("utf-8")
        relative = raw.removeprefix("/static/")
        return serve_static(environ, start_response, static, relative)

    server = WebServer(app, "127.0.0.1", 0)
    server.start()
    yield server.url
    server.stop()


def test_http_get_range_and_304(static_server, http):
    answer = http(static_server + "/static/big.bin")
    assert answer.status == 200 and answer.body == BIG
    ranged = http(static_server + "/static/big.bin", headers={"Range": "bytes=1000-1999"})
    assert ranged.status == 206 and ranged.body == BIG[1000:2000]
    etag = answer.headers["ETag"]
    again = http(static_server + "/static/big.bin", headers={"If-None-Match": etag})
    assert_answer(again, 304)
    assert again.body == b""


def test_http_encoded_traversal_never_reaches_outside(static_server, http):
    for path in ("/static/%2e%2e/secret.txt", "/static/..%2fsecret.txt",
                 "/static/css/%2e%2e/%2e%2e/secret.txt", "/static/%2e%2e%5csecret.txt"):
        answer = http(static_server + path)
        assert answer.status in (403, 404), path
        assert b"top secret" not in answer.body


def test_http_head_and_post(static_server, http):
    head = http(static_server + "/static/css/site.css", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == "20"
    post = http(static_server + "/static/css/site.css", data=b"x=1")
    assert_answer(post, 405, "405 Method Not Allowed", Allow="GET, HEAD")


def test_http_unicode_file_name(static, static_server, http):
    (static / "café.txt").write_text("olé", encoding="utf-8")
    answer = http(static_server + "/static/" + urllib.parse.quote("café.txt"))
    assert answer.status == 200 and answer.text == "olé"


# --- through the real pipeline: /app/static/... -----------------------------------------------

@pytest.fixture
def shop(root, live_server):
    from support import write_app

    write_app(root, "shop", {
        "static/css/site.css": "body { color: green }\n",
        "static/js/app.js": "console.log(1);\n",
        "private/secret.txt": "pipeline secret",
        "controllers/default.py": "def index():\n    return 'dynamic'\n",
    })
    return live_server(root) + "/shop/static"


def test_pipeline_serves_static_files(shop, http):
    css = http(shop + "/css/site.css")
    assert css.status == 200 and css.text == "body { color: green }\n"
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    js = http(shop + "/_2.0.1/js/app.js")
    assert js.status == 200 and "max-age=315360000" in js.headers["Cache-Control"]
    assert http(shop + "/css/site.css", headers={"Range": "bytes=0-3"}).body == b"body"
    again = http(shop + "/css/site.css", headers={"If-None-Match": css.headers["ETag"]})
    assert_answer(again, 304)


def test_pipeline_refuses_escapes_and_folders(shop, http):
    for path in ("/%2e%2e/private/secret.txt", "/css/%2e%2e/%2e%2e/private/secret.txt",
                 "/..%5cprivate%5csecret.txt", "/", "/css", "/missing.css"):
        answer = http(shop + path)
        assert answer.status in (400, 403, 404), path
        assert b"pipeline secret" not in answer.body
        assert b"Traceback" not in answer.body
