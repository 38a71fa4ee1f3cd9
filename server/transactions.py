"""Ending database work: commit, or roll back without letting a broken connection hide the
error that made the rollback necessary."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from pydal.connection import ConnectionPool

log = logging.getLogger("pocketweb.transactions")

T = TypeVar("T")


def quiet_rollback(db: Any) -> None:
    """Roll ``db`` back; a connection that is gone cannot be, and the caller's error matters."""
    try:
        db.rollback()
    except Exception:
        log.debug("rollback failed", exc_info=True)


def committed(db: Any, operation: Callable[[], T]) -> T:
    """Run ``operation`` and commit; roll back (quietly) and re-raise if either fails."""
    try:
        result = operation()
        db.commit()
    except Exception:
        quiet_rollback(db)
        raise
    return result


def close_databases(commit: bool) -> None:
    """Commit (or roll back) and close every database connection this thread opened."""
    if commit:
        ConnectionPool.close_all_instances("commit")
        return
    try:
        ConnectionPool.close_all_instances("rollback")
    except Exception:
        log.exception("rollback failed")
