"""The admin password as the window sees it: one per root folder, asked for when first needed.

It protects what web2py's admin password protects: the in-browser ``appadmin`` of every
application (and any admin page), reachable only from this computer or over HTTPS. Starting the
server never needs it. The hash (deliberately slow pbkdf2) is computed on a worker thread, so the
window keeps repainting while it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.workers import run_in_background
from server.hosting import admin_password

PROTECTS = ("The admin password protects each application's appadmin (its database in the "
            "browser) and the admin pages; they open only from this computer or over HTTPS.")


class AdminPassword(QObject):
    """``ensure(then)`` runs ``then`` once a password exists, asking for one first if needed.

    ``changed`` is emitted after a new password is stored; ``failed(message)`` when it could not
    be (the message is also shown through ``ask.error``).
    """

    changed = Signal()
    failed = Signal(str)

    def __init__(self, root: Path, ask, parent: QObject | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.ask = ask
        self.storing = False

    @property
    def is_set(self) -> bool:
        return admin_password.has_password(self.root, None)

    def describe(self) -> str:
        """One line for the server panel: whether it is set and what it guards."""
        state = "set" if self.is_set else "not set yet (asked for when first needed)"
        return f"Admin password {state}: protects appadmin, from this computer or over HTTPS."

    def ensure(self, then: Callable[[], object]) -> None:
        if self.is_set:
            then()
        else:
            self.change(then)

    def change(self, then: Callable[[], object] | None = None) -> None:
        """Ask for a new password and store its hash; ``then`` runs once it is stored."""
        if self.storing:
            return
        password = self.ask.new_password()
        if not password:
            return
        self.storing = True
        run_in_background(admin_password.store_password, self.root, None, password,
                          on_success=lambda _path: self._stored(then),
                          on_failure=self._failed)

    def _stored(self, then: Callable[[], object] | None) -> None:
        self.storing = False
        self.changed.emit()
        if then is not None:
            then()

    def _failed(self, message: str) -> None:
        self.storing = False
        text = f"Could not store the admin password: {message}"
        self.failed.emit(text)
        self.ask.error("Admin password", text)
