"""Clean: an app's sessions, tickets and cache counted, then deleted; its source untouched."""

from __future__ import annotations

import pytest
from support import write_app

from server.manage.app_cleaning import clean_app, runtime_counts
from server.manage.app_folders import AppNotFoundError


@pytest.fixture
def used(root):
    """An app that ran: two sessions (one in a sub-folder), a ticket, a cache file."""
    return write_app(root, "shop", {
        "controllers/default.py": "def index(): return 1\n",
        "sessions/127.0.0.1-aaa": "s", "sessions/ab/127.0.0.1-bbb": "s",
        "errors/127.0.0.1.2026-01-01.ticket": "{}", "cache/cache.shelve": "c",
        "errors/.gitkeep": "",
    })


def test_counts_come_first_and_delete_nothing(root, used):
    assert runtime_counts(root, "shop") == {"sessions": 2, "errors": 1, "cache": 1}
    assert (used / "sessions/ab/127.0.0.1-bbb").exists()


def test_clean_deletes_what_was_counted_and_keeps_the_source(root, used):
    assert clean_app(root, "shop") == {"sessions": 2, "errors": 1, "cache": 1}
    assert runtime_counts(root, "shop") == {"sessions": 0, "errors": 0, "cache": 0}
    assert (used / "controllers/default.py").is_file() and (used / "errors/.gitkeep").exists()
    assert (used / "sessions").is_dir()


def test_an_app_without_runtime_folders_counts_nothing(root):
    write_app(root, "bare", {"controllers/default.py": ""})
    assert clean_app(root, "bare") == {"sessions": 0, "errors": 0, "cache": 0}


def test_a_missing_or_invalid_app_is_a_clear_error(root):
    with pytest.raises(AppNotFoundError, match="no application named 'ghost'"):
        runtime_counts(root, "ghost")
    with pytest.raises(Exception, match="not a valid application name"):
        clean_app(root, "../shop")
