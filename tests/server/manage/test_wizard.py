"""The wizard's writer: the app it writes serves its grid pages, with their forms' validation,
over real HTTP; running it again only adds."""

from __future__ import annotations

import pytest
from form_support import formkey

from server.manage.app_folders import AppError, AppNameError
from server.manage.wizard import AppPlan, FieldPlan, TablePlan, check_name, write_app

AUTHOR = TablePlan("author", (FieldPlan("name", "string", "required"),
                              FieldPlan("email", "string", "email")))
BOOK = TablePlan("book", (FieldPlan("title", "string", "required"),
                          FieldPlan("page_count", "integer", "positive number"),
                          FieldPlan("author", "reference", references="author")))


def test_the_written_app_serves_a_grid_page_per_table(root, wsgi_server, browser):
    written = write_app(root, AppPlan("shelf", (AUTHOR, BOOK), auth=False))
    app = root / "applications/shelf"
    assert {path.relative_to(app).as_posix() for path in written} == {
        "models/db_wizard.py", "models/menu_wizard.py", "controllers/author.py",
        "views/author/index.html", "controllers/book.py", "views/book/index.html"}
    base = wsgi_server(root)
    page = browser.get(f"{base}/shelf/book/index")
    assert page.status == 200
    assert "Book" in page.text and 'href="/shelf/author/index"' in page.text  # the menu
    assert browser.get(f"{base}/shelf/author/index").status == 200


def test_the_grid_forms_check_what_is_typed(root, wsgi_server, browser):
    write_app(root, AppPlan("shelf", (AUTHOR, BOOK), auth=False))
    base = wsgi_server(root)
    new = f"{base}/shelf/author/index/new/author"
    form = browser.get(new)
    refused = browser.post(new, {"name": "", "email": "not an email", "_formname": "web2py_grid",
                                 "_formkey": formkey(form.text)})
    assert refused.status == 200
    assert "Enter a value" in refused.text and "Enter a valid email address" in refused.text
    form = browser.get(new)
    saved = browser.post(new, {"name": "Ursula", "email": "ursula@example.org",
                               "_formname": "web2py_grid", "_formkey": formkey(form.text)})
    assert saved.status in (200, 303)
    assert "Ursula" in browser.get(f"{base}/shelf/author/index").text


def test_with_auth_the_pages_ask_for_a_login(root, wsgi_server, browser):
    write_app(root, AppPlan("shelf", (AUTHOR,), auth=True))
    answer = browser.get(f"{wsgi_server(root)}/shelf/author/index")
    assert answer.status == 303 and "/shelf/default/user/login" in answer.headers["Location"]


def test_running_it_again_adds_tables_and_keeps_edited_files(root):
    write_app(root, AppPlan("shelf", (AUTHOR,), auth=False))
    app = root / "applications/shelf"
    controller = app / "controllers/author.py"
    controller.write_text("# my own version\n")
    model = app / "models/db_wizard.py"
    model.write_text(model.read_text() + "# my note\n")
    written = write_app(root, AppPlan("shelf", (AUTHOR, BOOK), auth=False))
    assert controller.read_text() == "# my own version\n"
    text = model.read_text()
    assert "# my note\n" in text
    assert text.count("(\n    'author',") == 1 and "(\n    'book'," in text
    assert app / "controllers/book.py" in written and controller not in written


def test_the_model_reads_as_code_a_person_would_write(root):
    write_app(root, AppPlan("shelf", (AUTHOR, BOOK), auth=True))
    model = (root / "applications/shelf/models/db_wizard.py").read_text()
    assert ("db.define_table(\n    'book',\n    Field('title', requires=IS_NOT_EMPTY()),\n"
            "    Field('page_count', 'integer', requires=IS_INT_IN_RANGE(0, None)),\n"
            "    Field('author', 'reference author'),\n    format='%(title)s',\n)\n") in model
    controller = (root / "applications/shelf/controllers/book.py").read_text()
    assert "@auth.requires_login()\ndef index():" in controller


@pytest.mark.parametrize("name", ["order", "User", "1st", "auth_user", "class", "id", "a-b"])
def test_names_that_cannot_be_tables_are_refused(name):
    with pytest.raises(AppNameError):
        check_name(name, "table")


def test_a_bad_plan_writes_nothing(root):
    orphan = TablePlan("book", (FieldPlan("author", "reference", references="author"),))
    with pytest.raises(AppError, match="not a table defined before it"):
        write_app(root, AppPlan("shelf", (orphan,)))
    assert not (root / "applications/shelf").exists()
    with pytest.raises(AppError, match="at least one field"):
        write_app(root, AppPlan("shelf", (TablePlan("note", ()),)))


def test_login_pages_need_a_starting_point_with_auth(root, wsgi_server, http):
    with pytest.raises(AppError, match="bank has no login"):
        write_app(root, AppPlan("vault", (AUTHOR,), start_from="bank", auth=True))
    assert not (root / "applications/vault").exists()
    write_app(root, AppPlan("vault", (AUTHOR,), start_from="bank", auth=False))
    assert http(f"{wsgi_server(root)}/vault/author/index").status == 200  # an example's layout
