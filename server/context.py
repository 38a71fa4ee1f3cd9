"""One unit of work from start to end: what ``current`` holds during it, and the step that ends it.

Every piece of code that runs an app's code goes through a :class:`Context`: a request, a
``LOAD`` component inside it, a cron script, a scheduler worker, the desktop's model runs and the
shell. Entering it gives the thread a fresh ``current`` (a nested context starts from a copy of
the outer one); leaving it ends the work once, in one place:

1. the session it owns is saved (forgotten when the work failed) and its lock released;
2. the thread's databases are committed, or rolled back when the work failed or saving failed;
3. ``current`` is back to exactly what it was before (empty for an outermost context).

An ``HTTP`` exception (``redirect``, ``raise HTTP(404)``) is an answer, not a failure: it commits,
as in web2py. Setup (parsing the request, loading the session) runs inside the ``with`` block, so
a failure there is ended like any other::

    with Context() as context:
        context.bind(request=request, response=response, session=session)
        session._start(...)             # may fail: the session's lock is still released
        ...                             # models, controller, view
    # here: session saved, databases committed, current cleared

Entering and leaving cost two small dict copies, so a request stays cheap.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from server.current import current
from server.http import HTTP
from server.transactions import close_databases


class Context:
    """``with Context(): ...`` owns ``current`` and the ending of one unit of work.

    ``nested=True`` (a ``LOAD`` component inside a page) starts from the outer ``current`` and
    leaves the session and the databases to the outer context. ``keep_databases=True`` (the
    desktop, which goes on using the app's DALs) ends everything but the database connections.
    """

    __slots__ = ("nested", "keep_databases", "values", "_outer")

    def __init__(self, nested: bool = False, keep_databases: bool = False):
        self.nested = nested
        self.keep_databases = keep_databases
        self.values: dict[str, Any] = {}
        self._outer: dict[str, Any] = {}

    def __enter__(self) -> Context:
        self._outer = dict(current.__dict__)
        self.values = dict(self._outer) if self.nested else {}
        _replace_current(self.values)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            if not self.nested:
                self._end(succeeded=kind is None or issubclass(kind, HTTP))
        finally:
            _replace_current(self._outer)

    def bind(self, **values: Any) -> None:
        """Put ``values`` on ``current`` (``request=..., response=...``) for this context."""
        self.values.update(values)
        current.__dict__.update(values)

    @property
    def request(self) -> Any:
        return self.values.get("request")

    @property
    def response(self) -> Any:
        return self.values.get("response")

    def _end(self, succeeded: bool) -> None:
        session = self.values.get("session")
        try:
            if session is not None and hasattr(session, "_finish"):
                if not succeeded:
                    session.forget()
                session._finish()
        except BaseException:
            succeeded = False
            raise
        finally:
            if not self.keep_databases:
                close_databases(succeeded)


def _replace_current(values: dict[str, Any]) -> None:
    names = current.__dict__
    names.clear()
    names.update(values)

