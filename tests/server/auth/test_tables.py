"""The auth tables' rules: passwords of at least eight characters, IS_STRONG offered."""

from __future__ import annotations


def test_new_passwords_need_eight_characters_and_is_strong_is_there(live_site):
    from server.execution import BASE_GLOBALS

    answer = live_site.register(password="seven77")
    assert answer.status == 200 and "Minimum length is 8" in answer.text
    assert live_site.register(password="eight888").status == 303
    assert "IS_STRONG" in BASE_GLOBALS
