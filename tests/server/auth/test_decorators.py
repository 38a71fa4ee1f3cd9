"""``safe_next``: only same-site relative paths may be a redirect target after login."""

from __future__ import annotations

import pytest

from server.auth.decorators import safe_next


@pytest.mark.parametrize("url", ["/app/default/index", "/app/c/f/a/b?x=1&y=2#top", "/"])
def test_same_site_paths_are_kept(url):
    assert safe_next(url) == url


@pytest.mark.parametrize("url", [
    "//evil.example/path", "/\\evil.example", "http://evil.example/", "https:evil",
    "javascript:alert(1)", "relative/path", "", None, "/ok\r\nSet-Cookie: x=1",
    "/a\tb", "\\\\evil.example", 42,
])
def test_other_targets_are_refused(url):
    assert safe_next(url) is None


def test_a_repeated_var_uses_its_last_value():
    assert safe_next(["//evil", "/app/default/index"]) == "/app/default/index"
    assert safe_next([]) is None
