"""auth.messages come back translated by the request's T; render fills their placeholders."""

from server.auth.texts import default_messages, render
from server.current import current


def test_messages_are_translated_when_read():
    messages = default_messages()
    current.T = str.upper
    try:
        assert messages.login_button == "LOG IN"
        messages.login_button = "Enter"
        assert messages.login_button == "ENTER"
    finally:
        del current.T
    assert messages.login_button == "Enter"


def test_render_fills_placeholders_and_keeps_none():
    assert render("User %(id)s Logged-in", id=7) == "User 7 Logged-in"
    assert render(None, id=7) is None
