"""``response.toolbar()``: the debugging panel, rendered by a real request."""

from __future__ import annotations

from support import write_app


def test_toolbar_shows_request_session_response_and_queries(root, wsgi_server, http):
    write_app(root, "tb", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\ndb.define_table('thing', Field('n'))\n",
        "controllers/default.py": "def index():\n    db(db.thing).count()\n"
                                  "    session.flavour = 'mint'\n"
                                  "    return DIV(response.toolbar()).xml()\n",
    })
    page = http(wsgi_server(root) + "/tb/default/index?q=1").text
    for button in ("request", "session", "response", "db tables", "db stats"):
        assert f">{button}</button>" in page and "<button onclick=" in page
    assert "mint" in page and "thing" in page and "SELECT COUNT(*)" in page.upper()
    assert "<td style=\"font-weight:bold;vertical-align:top;\">q</td>" in page
    assert page.count("display:none") == 5  # every panel starts hidden; its button shows it
