"""The tutorial's code is the screenshot script's code, and it works as the tutorial says."""

from __future__ import annotations

import screenshots_tutorial as tutorial
from support import Browser

from server.manage import apps
from server.paths import SOURCE_ROOT

TUTORIAL = (SOURCE_ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")


def test_every_snippet_the_script_runs_is_shown_in_the_tutorial():
    for snippet in (tutorial.MODEL, tutorial.BOOKS, tutorial.BOOKS_VIEW, tutorial.ADD_VIEW,
                    tutorial.LOGIN_ONLY[1], tutorial.BROKEN_STATS):
        assert snippet.strip() in TUTORIAL, snippet
    assert "db(db.book).count()" in TUTORIAL and "db(db.book).count()" in tutorial.FIXED_STATS


def test_every_picture_the_tutorial_shows_exists():
    for name in ("new-application", "model", "form-errors", "grid", "login-required",
                 "ticket-page", "tickets", "fixed", "pack"):
        assert f"(tutorial/{name}.png)" in TUTORIAL
        assert (SOURCE_ROOT / "docs" / "tutorial" / f"{name}.png").is_file()


def test_the_tutorials_steps_work_on_a_live_server(root, live_server):
    app = apps.create_app(root, "shelf", "welcome")
    tutorial.add_code(app, "models/db.py", tutorial.MODEL)
    controller = tutorial.add_code(app, "controllers/default.py", tutorial.BOOKS)
    tutorial.add_code(app, "views/default/books.html", tutorial.BOOKS_VIEW)
    tutorial.add_code(app, "views/default/add.html", tutorial.ADD_VIEW)
    base, visitor = live_server(root) + "/shelf/default/", Browser()
    assert "Add a book" in visitor.get(base + "books").text
    form = visitor.get(base + "add").text
    key = form.split('name="_formkey" type="hidden" value="')[1].split('"')[0]
    refused = visitor.post(base + "add", {"title": "", "author": "F. Herbert", "published": "65",
                                          "_formname": "book/create", "_formkey": key})
    assert refused.status == 200 and refused.text.count('class="error"') == 2

    tutorial.replace_code(controller, *tutorial.LOGIN_ONLY)
    assert "/shelf/default/user/login" in visitor.get(base + "add").headers["Location"]
    tutorial.add_code(app, "controllers/default.py", tutorial.BROKEN_STATS)
    broken = visitor.get(base + "stats")
    assert broken.status == 500 and "Ticket issued" in broken.text
    tutorial.replace_code(controller, tutorial.BROKEN_STATS, tutorial.FIXED_STATS)
    assert visitor.get(base + "stats").status == 200
