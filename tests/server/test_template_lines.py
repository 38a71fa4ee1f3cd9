"""A compiled view's lines lead back to the template file and line they came from."""

from __future__ import annotations

import json

import pytest
from support import assert_answer, write_app

from server import template_lines, views

LAYOUT = "<html>\n<body>\n{{include 'menu.html'}}\n<main>\n{{include}}\n</main>\n</body></html>\n"
MENU = "<nav>\n{{=menu_missing}}\n</nav>\n"
PAGE = "{{extend 'layout.html'}}\n<h1>Hello</h1>\n<p>{{=undefined_name}}</p>\n"


def failing_line(views_folder, view, names=None):
    """Render ``view``; the (file, line) its NameError is mapped to."""
    code, _stamps = views.compile_template(views_folder, view, {}, None)
    scope = {"response": type("R", (), {"write": lambda *a, **k: None})(), **(names or {})}
    with pytest.raises(NameError) as raised:
        exec(code, scope)  # noqa: S102 - rendering the compiled template
    tb = raised.tb
    while tb.tb_next is not None:
        tb = tb.tb_next
    return template_lines.source_line(tb.tb_frame.f_code.co_filename, tb.tb_lineno)


@pytest.fixture
def views_folder(tmp_path):
    folder = tmp_path / "views"
    (folder / "default").mkdir(parents=True)
    (folder / "layout.html").write_text(LAYOUT)
    (folder / "menu.html").write_text(MENU)
    (folder / "default/index.html").write_text(PAGE)
    return folder


def test_an_error_in_the_extending_view_is_at_its_own_line(views_folder):
    assert failing_line(views_folder, "default/index.html", {"menu_missing": 1}) == (
        str(views_folder / "default/index.html"), 3)


def test_an_error_in_an_included_file_is_in_that_file(views_folder):
    assert failing_line(views_folder, "default/index.html") == (str(views_folder / "menu.html"), 2)


def test_lines_of_a_multi_line_block_count_from_its_first_code_line(views_folder):
    (views_folder / "default/block.html").write_text(
        "<p>\n{{\nfirst = 1\nsecond = undefined_name\n}}\n</p>\n")
    assert failing_line(views_folder, "default/block.html") == (
        str(views_folder / "default/block.html"), 4)


def test_own_delimiters_are_marked_too():
    marked = template_lines.mark_blocks("a\n[[=x]]", "v.html", ("[[", "]]"))
    assert marked == "a\n[[#@view 2 v.html]][[=x]]"


def test_code_that_is_no_view_is_not_mapped():
    assert template_lines.source_line("/app/controllers/default.py", 3) is None


def test_a_ticket_for_a_view_error_names_the_template_and_its_line(root, wsgi_server, http):
    app = write_app(root, "site", {
        "controllers/default.py": "def index():\n    return dict()\n",
        "views/layout.html": LAYOUT, "views/menu.html": "<nav>menu</nav>\n",
        "views/default/index.html": PAGE,
    })
    assert_answer(http(wsgi_server(root) + "/site/default/index"), 500, "Ticket issued")
    (ticket,) = (app / "errors").iterdir()
    innermost = json.loads(ticket.read_text())["frames"][-1]
    assert (innermost["filename"], innermost["line"]) == (
        str(app / "views/default/index.html"), 3)
    assert [3, "<p>{{=undefined_name}}</p>"] in innermost["context"]
