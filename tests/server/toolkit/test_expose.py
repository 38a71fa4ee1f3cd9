"""Expose over HTTP: listings, README, downloads, and no way out of the exposed folder."""

import os

import pytest
from support import assert_answer, write_app

CONTROLLER = """
from gluon.tools import Expose

def files():
    return dict(files=Expose())

def public():
    return dict(files=Expose(os.path.join(request.folder, 'static', 'docs'), basename='docs',
                             extensions=['.txt']))

def listonly():
    return dict(files=Expose(allow_download=False))
"""


@pytest.fixture
def site(root, wsgi_server, tmp_path):
    app = write_app(root, "site", {
        "controllers/default.py": "import os\n" + CONTROLLER,
        "views/default/files.html": "{{=files}}",
        "views/default/public.html": "{{=files}}",
        "views/default/listonly.html": "{{=files}}",
        "static/logo.png": "not really a png",
        "static/docs/README": "**Read** me first",
        "static/docs/notes.txt": "some notes",
        "static/docs/data.csv": "a,b",
        "static/docs/deep/inner.txt": "deep",
        "static/.env": "SECRET=1",
        "static/backup.txt~": "old",
        "static/private/key.txt": "secret key",
    })
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x")
    os.symlink(outside / "passwd", app / "static" / "escape.txt")
    os.symlink(outside, app / "static" / "elsewhere")
    os.symlink(app / "static" / "docs" / "notes.txt", app / "static" / "notes-link.txt")
    return wsgi_server(root) + "/site/default"


def test_lists_folders_and_files_with_image_previews(site, http):
    page = http(site + "/files").text
    assert '<h2><span><a href="/site/default/files">files</a></span></h2>' in page
    assert '<h3>Folders</h3>' in page and '<a href="/site/default/files/docs">docs</a>' in page
    assert '<a href="/site/default/files/logo.png">logo.png</a>' in page
    assert '<img alt="logo.png" src="/site/default/files/logo.png" style="max-width:160px" />' \
        in page
    assert "notes-link.txt" in page


def test_hides_private_files_and_symlinks_out(site, http):
    page = http(site + "/files").text
    for hidden in (".env", "backup.txt~", "private", "escape.txt", "elsewhere"):
        assert hidden not in page
    assert_answer(http(site + "/files/.env"), 404, "file not found")
    assert_answer(http(site + "/files/private/key.txt"), 404, "file not found")
    assert_answer(http(site + "/files/backup.txt~"), 404, "file not found")


def test_refuses_every_way_out(site, http):
    for path in ("/files/escape.txt", "/files/elsewhere/passwd", "/files/%2e%2e/controllers",
                 "/files/docs/..%2F..%2Fcontrollers%2Fdefault.py"):
        answer = http(site + path)
        assert answer.status in (400, 403, 404), path
        assert "root:x" not in answer.text and "Expose" not in answer.text
    assert_answer(http(site + "/files/escape.txt"), 403,
                  "not authorized: outside the exposed folder")


def test_downloads_a_file_with_its_content_type(site, http):
    answer = http(site + "/files/docs/notes.txt")
    assert answer.status == 200 and answer.text == "some notes"
    assert answer.headers["Content-Type"].startswith("text/plain")
    assert http(site + "/files/logo.png").headers["Content-Type"] == "image/png"
    assert_answer(http(site + "/files/nothing-here.txt"), 404, "file not found")


def test_sub_folder_breadcrumbs_readme_and_extension_filter(site, http):
    page = http(site + "/public").text
    assert '<a href="/site/default/public">docs</a>' in page
    assert "<strong>Read</strong> me first" in page
    assert "notes.txt" in page and "data.csv" not in page
    deep = http(site + "/public/deep").text
    assert '<a href="/site/default/public">docs</a>/<a href="/site/default/public/deep">deep' \
        in deep
    assert "inner.txt" in deep


def test_downloads_can_be_switched_off(site, http):
    assert http(site + "/listonly").status == 200
    refused = http(site + "/listonly/logo.png")
    assert_answer(refused, 403, "not authorized: downloads are off for this folder")
