"""``current`` is per thread: what one request's thread binds, another never sees."""

from __future__ import annotations

import threading

from server.current import current


def test_what_one_thread_binds_another_does_not_see():
    current.marker = "main"
    seen = {}

    def other():
        seen["before"] = getattr(current, "marker", None)
        current.marker = "other"
        seen["after"] = current.marker

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    try:
        assert seen == {"before": None, "after": "other"}
        assert current.marker == "main"
    finally:
        del current.marker
