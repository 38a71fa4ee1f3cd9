""""Open on a phone": serve on the network for a while, with the address as text and QR code.

Listening on the network (every interface, ``0.0.0.0``: this computer's browser keeps working)
lets anyone on the same network open the apps, so the dialog says so before doing it; the admin
pages (appadmin, the admin login) still answer only this machine or HTTPS, which their
controllers check. One click puts the server back on 127.0.0.1. The QR code is drawn by
``segno`` (see pyproject.toml); moving the server is the server panel's stop and start.
"""

from __future__ import annotations

from collections.abc import Callable

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from server.hosting.host_names import lan_address

EVERY_INTERFACE = "0.0.0.0"
LOOPBACK = "127.0.0.1"
WARNING = ("While it listens on the network, anyone on this network (the same Wi-Fi, for "
           "instance) can open your applications at this address, not only your phone. The "
           "admin pages (appadmin, the admin login) stay reachable from this computer only. "
           "Go back to this computer only when you are done.")


def qr_pixmap(text: str, scale: int = 8) -> QPixmap:
    """A QR code of ``text`` as a pixmap (with the quiet zone scanners need around it)."""
    import io

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class PhonePreview(QDialog):
    """The dialog; ``open_for()`` shows it for the selected app."""

    def __init__(self, server_panel, selected_app: Callable[[], str | None] = lambda: None,
                 lan: Callable[[], str | None] = lan_address, parent: QWidget | None = None):
        super().__init__(parent)
        self.server_panel = server_panel
        self.selected_app = selected_app
        self.lan = lan
        self.path = ""
        self._then: Callable[[], None] | None = None
        self._put_on_network = False  # by this dialog: a stop then puts the host back
        self.setWindowTitle("Open on a phone")
        self.setObjectName("phone_preview")
        self.warning = QLabel(WARNING)
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Warning")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Where the server listens")
        self.url_edit = QLineEdit()
        self.url_edit.setReadOnly(True)
        self.url_edit.setAccessibleName("Address to open on the phone")
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName("QR code of the address: scan it with the phone's camera")
        self.network_button = QPushButton("&Listen on the network")
        self.network_button.setAccessibleDescription(WARNING)
        self.network_button.clicked.connect(self.listen_on_network)
        self.local_button = QPushButton("Back to this &computer only (127.0.0.1)")
        self.local_button.clicked.connect(self.back_to_local)
        self.server_panel.serverStopped.connect(self._restart_when_stopped)
        self.server_panel.serverStarted.connect(lambda _url: self.refresh())
        self._layout()

    def _layout(self) -> None:
        url_label = QLabel("&Address:")
        url_label.setBuddy(self.url_edit)
        url_row = QHBoxLayout()
        url_row.addWidget(url_label)
        url_row.addWidget(self.url_edit, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.network_button)
        buttons_row.addWidget(self.local_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        for widget in (self.warning, self.status):
            layout.addWidget(widget)
        layout.addLayout(buttons_row)
        layout.addLayout(url_row)
        layout.addWidget(self.qr, 1)
        layout.addWidget(close)

    # -- state ----------------------------------------------------------------------------------

    @property
    def on_network(self) -> bool:
        return self.server_panel.running and self.server_panel.address()[0] == EVERY_INTERFACE

    def phone_url(self) -> str | None:
        """The address a phone on this network opens, while the server listens on it."""
        address = self.lan()
        if not self.on_network or address is None:
            return None
        scheme = "https" if self.server_panel.server.https else "http"
        return f"{scheme}://{address}:{self.server_panel.server.port}{self.path}"

    def open_for(self, path: str | None = None) -> None:
        """Show the dialog for ``path`` (default: the selected application's home)."""
        app = self.selected_app()
        self.path = path if path is not None else (f"/{app}" if app else "")
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()

    def refresh(self) -> None:
        url = self.phone_url()
        self.url_edit.setText(url or "")
        self.qr.setPixmap(qr_pixmap(url) if url else QPixmap())
        self.network_button.setEnabled(not self.on_network and self.lan() is not None)
        self.local_button.setEnabled(self.on_network)
        self.status.setText(self._describe(url))

    def _describe(self, url: str | None) -> str:
        if self.lan() is None:
            return "This computer has no network address now: connect it to the network first."
        if url:
            return "Listening on the network. Scan the code, or type the address, on the phone."
        if self.server_panel.running:
            return "The server listens on this computer only; a phone cannot reach it yet."
        return "The server is stopped; listening on the network starts it."

    # -- moving the server ----------------------------------------------------------------------

    def listen_on_network(self) -> None:
        self._move_to(EVERY_INTERFACE)

    def back_to_local(self) -> None:
        self._move_to(LOOPBACK)

    def _move_to(self, host: str) -> None:
        """Serve on ``host`` at the same port: stop first when running (that finishes on a
        worker thread; ``serverStopped`` then starts it again)."""
        panel = self.server_panel
        port = panel.server.port if panel.running else panel.address()[1]

        def start() -> None:
            panel.set_address(host, port)
            self._put_on_network = host == EVERY_INTERFACE
            panel.start_server()
            self.refresh()

        if panel.running:
            self._then = start
            panel.stop_server()
        else:
            start()

    def _restart_when_stopped(self) -> None:
        """Finish a move; any other stop (Stop, closing the window) ends the network visit,
        so neither the next Start nor the saved settings listen on the network unasked."""
        then, self._then = self._then, None
        if then is not None:
            then()
            return
        if self._put_on_network:
            self._put_on_network = False
            self.server_panel.set_address(LOOPBACK, self.server_panel.address()[1])
        self.refresh()
