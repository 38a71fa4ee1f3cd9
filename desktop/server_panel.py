"""Server control: host and port, Start/Stop, the URL, the admin password and the request log.

The port is bound here, in the GUI thread, by :meth:`WebServer.start`, so a busy port becomes a
message in this panel at once; cheroot then serves from its own threads. Stopping lets in-flight
requests finish (which may take seconds) on a worker thread, then checks that the port is really
free again; only closing the window waits for it (:meth:`ServerPanel.shutdown`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import icons
from desktop.admin_access import PROTECTS, AdminPassword
from desktop.request_log import RequestLogBridge, RequestLogModel, application_of
from desktop.status_label import StatusLabel
from desktop.workers import run_in_background
from server.hosting import ServerOptions, on_routes_problem

if TYPE_CHECKING:  # server.hosting.httpd (cheroot) loads on the first start: a faster window
    from server.hosting.httpd import WebServer


def default_app_factory(root: Path, options: ServerOptions):
    """The framework's WSGI application for ``root`` (imported late: it is the heavy part)."""
    from server.hosting.application import hosted_application

    return hosted_application(root, options)


def stop_and_probe(server: WebServer) -> str:
    """Stop ``server`` (waiting for in-flight requests) and say whether its port is free."""
    from server.hosting.httpd import port_is_free

    host, port = server.host, server.port
    server.stop()
    if port_is_free(probe_host(host), port):
        return f"Stopped. Port {port} is free."
    return f"Stopped, but port {port} is still in use by another program."


def probe_host(host: str) -> str:
    """Where to knock to see if a port is in use: wildcard addresses mean the loopback."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)


class ServerPanel(QWidget):
    serverStarted = Signal(str)
    serverStopped = Signal()
    routesProblem = Signal(str)  # a routes.py that could not be loaded (emitted from any thread)
    ticketRequested = Signal(str, float)  # app, time of a request that failed with a 5xx

    def __init__(
        self,
        root: Path,
        ask,
        admin: AdminPassword | None = None,
        app_factory: Callable = default_app_factory,
        options: ServerOptions | None = None,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.root = Path(root)
        self.ask = ask
        self.app_factory = app_factory
        self.options = options or ServerOptions()
        self.open_url = open_url
        self.server: WebServer | None = None
        self.stopping = False
        self.admin = admin or AdminPassword(self.root, ask, self)
        self.admin.changed.connect(self._show_password_state)
        self.log_model = RequestLogModel(parent=self)
        self.log_bridge = RequestLogBridge(self)
        self.log_bridge.entriesReady.connect(self._log_entries)
        self.request_hooks: list[Callable] = []  # more log hooks (the Output panel's)
        self._build()
        self._show_state(running=False, status="Stopped.")
        self.routesProblem.connect(self.status_label.setText)
        stop_watching_routes = on_routes_problem(self.routesProblem.emit)
        self.destroyed.connect(lambda *_: stop_watching_routes())

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.host_edit = QLineEdit("127.0.0.1")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(8000)
        self.start_button = QPushButton("&Start")
        self.stop_button = QPushButton("S&top")
        self.start_button.clicked.connect(self.start_server)
        self.stop_button.clicked.connect(self.stop_server)
        self.status_label = StatusLabel("Server status")
        self.state_icon = QLabel()
        self._state = "stopped"
        self.url_label = self._url_label()
        self.log_view = self._log_view()
        self.password_label = StatusLabel("Admin password")
        self.password_button = QPushButton("Admin pass&word…", clicked=lambda: self.admin.change())
        layout = QVBoxLayout(self)
        layout.addLayout(self._controls())
        layout.addLayout(self._status_row())
        layout.addLayout(self._password_row())
        log_label = QLabel("Request &log:")
        log_label.setBuddy(self.log_view)
        layout.addWidget(log_label)
        layout.addWidget(self.log_view, 1)
        self._name_controls()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.host_edit.setMinimumWidth(160)
        fields = (("&Host:", self.host_edit), ("&Port:", self.port_spin))
        for text, field in fields:
            label = QLabel(text)
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field)
        row.addStretch(1)
        row.addWidget(self.start_button)
        row.addWidget(self.stop_button)
        return row

    def _status_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.state_icon)
        row.addWidget(self.status_label, 1)
        row.addWidget(self.url_label)
        return row

    def _password_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.password_label, 1)
        row.addWidget(self.password_button)
        return row

    def _url_label(self) -> QLabel:
        label = QLabel()
        label.setAccessibleName("Server address, opens in the web browser")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setOpenExternalLinks(False)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        label.linkActivated.connect(lambda link: self.open_url(QUrl(link)))
        return label

    def _log_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.log_model)
        view.setAccessibleName("Request log")
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
        view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        view.activated.connect(self._log_row_activated)
        return view

    def _name_controls(self) -> None:
        self.host_edit.setAccessibleName("Host")
        self.port_spin.setAccessibleName("Port")
        self.start_button.setAccessibleName("Start server")
        self.stop_button.setAccessibleName("Stop server")
        self.password_button.setAccessibleName("Choose the admin password")
        self.password_button.setAccessibleDescription(PROTECTS)
        chain = (self.host_edit, self.port_spin, self.start_button, self.stop_button,
                 self.url_label, self.password_button, self.log_view)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- public API -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.server is not None and self.server.running

    @property
    def url(self) -> str | None:
        return self.server.url if self.server is not None else None

    def set_address(self, host: str, port: int) -> None:
        self.host_edit.setText(host)
        self.port_spin.setValue(port)

    def address(self) -> tuple[str, int]:
        """The host and port as typed (what the window remembers for next time)."""
        return self.host_edit.text().strip(), self.port_spin.value()

    def start_server(self) -> bool:
        """Bind and serve; a busy port or a broken app ends in a message, not a crash."""
        if self.server is not None or self.stopping:
            return self.server is not None
        host, port = self.address()
        if not host:
            return self._fail("Enter a host name or address to listen on.")
        server = self._start(host, port)
        if server is None:
            return False
        self.server = server
        self._show_state(running=True, status=f"Running on {server.url}")
        self.serverStarted.emit(server.url)
        return True

    def stop_server(self) -> None:
        """Finish in-flight requests on a worker thread; ``serverStopped`` says when it is done."""
        if self.server is None or self.stopping:
            return
        self.stopping = True
        self.stop_button.setEnabled(False)
        self.status_label.setText("Stopping: letting the requests in progress finish…")
        run_in_background(stop_and_probe, self.server, on_success=self._stopped,
                          on_failure=lambda message: self._stopped(message))

    def shutdown(self) -> None:
        """Stop now, waiting for it (the window is closing; nothing else is left to draw)."""
        if self.server is not None and not self.stopping:
            self.stopping = True
            self._stopped(stop_and_probe(self.server))

    def _stopped(self, status: str) -> None:
        if self.server is None:
            return  # already reported (a shutdown overtook a stop in progress)
        self.server = None
        self.stopping = False
        self._show_state(running=False, status=status)
        self.serverStopped.emit()

    def open_in_browser(self, path: str = "") -> bool:
        """Open the running server (optionally a path under it) in the default browser."""
        if self.server is None:
            self.status_label.setText("Start the server first, then open it in the browser.")
            return False
        url = self.server.url + path
        if self.open_url(QUrl(url)) is False:
            self.status_label.setText(f"No web browser could be started. Open {url} in one.")
            self.ask.error("Open in browser", f"No web browser could be started here. "
                                              f"Copy this address into a browser: {url}")
            return False
        return True

    # -- steps ----------------------------------------------------------------------------------

    def _start(self, host: str, port: int) -> WebServer | None:
        from server.hosting.httpd import ServerError, WebServer

        try:
            options = self.options.at(host, port)
            application = self.app_factory(self.root, options)
        except Exception as exc:  # a broken application must not take the window down
            self._fail(f"Could not load the web application: {exc}")
            return None
        try:
            server = WebServer.from_options(application, options, log_hook=self._log_hook)
            server.start()
        except ServerError as exc:
            self._fail(f"Could not start the server: {exc}.")
            return None
        return server

    def _log_hook(self, entry) -> None:
        """Each served request, from the server's thread: the log, then the other hooks."""
        self.log_bridge.hook(entry)
        for hook in self.request_hooks:
            hook(entry)

    def _fail(self, message: str) -> bool:
        self.status_label.setText(message)
        self.ask.error("Server", message)
        return False

    def _show_state(self, running: bool, status: str) -> None:
        for field in (self.host_edit, self.port_spin, self.start_button):
            field.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self._state = "running" if running else "stopped"
        self.refresh_icons()
        self.status_label.setText(status)
        url = html.escape(self.server.url) if running else ""
        self.url_label.setText(f'<a href="{url}">{url}</a>' if url else "")
        self.url_label.setAccessibleName(f"Running on {self.server.url}, opens in the web browser"
                                         if running else "Server address: not running")
        self._show_password_state()

    def refresh_icons(self) -> None:
        """The buttons' icons and the state's colour (green running, grey stopped), drawn for
        the window's theme."""
        self.start_button.setIcon(icons.icon("start"))
        self.stop_button.setIcon(icons.icon("stop"))
        self.state_icon.setPixmap(icons.icon(self._state).pixmap(16, 16))
        self.state_icon.setAccessibleName(f"Server {self._state}")

    def _show_password_state(self) -> None:
        self.password_label.setText(self.admin.describe())

    def _log_row_activated(self, index) -> None:
        """A failed request's row leads to its ticket (the one written when it failed)."""
        entry = self.log_model.entries[index.row()]
        app = application_of(entry)
        if entry.status >= 500 and app:
            self.ticketRequested.emit(app, entry.time)

    def _log_entries(self) -> None:
        view = self.log_view
        at_bottom = view.verticalScrollBar().value() >= view.verticalScrollBar().maximum()
        self.log_model.extend(self.log_bridge.take())
        if at_bottom:
            view.scrollToBottom()
