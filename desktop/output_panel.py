"""The Output panel: what the apps print and log, the server's messages and the access log.

Lines come from :func:`server.hosting.output.capture_output`, called in whatever thread wrote
them; a :class:`RequestLogBridge` hands them to the GUI thread in batches. The panel keeps the
last ``max_lines`` (a ring) and shows those of the chosen app; a line announcing a ticket is a
link (click it, or press Enter on it) that opens the ticket in the Tickets panel. Ctrl+F
searches within the panel.
"""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.request_log import RequestLogBridge
from server.hosting.output import OutputLine, access_output, capture_output

DEFAULT_MAX_LINES = 5000
ALL_APPS = "All"
SERVER = "Server"  # lines of no app: the server's own messages
LINK = QColor("#2a6fd6")


class OutputView(QPlainTextEdit):
    """Read-only, selectable text whose ticket links answer clicks and Enter."""

    linkActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        link = self.anchorAt(event.position().toPoint())
        if link and not self.textCursor().hasSelection():
            self.linkActivated.emit(link)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            link = link_in_block(self.textCursor())
            if link:
                self.linkActivated.emit(link)
                return
        super().keyPressEvent(event)


def link_in_block(cursor: QTextCursor) -> str:
    """The first link of the line the cursor is on, or ''."""
    block = cursor.block()
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid() and fragment.charFormat().isAnchor():
            return fragment.charFormat().anchorHref()
        iterator += 1
    return ""


class OutputPanel(QWidget):
    """``ticketRequested(app, time)`` when a ticket line is followed (the time it was logged)."""

    ticketRequested = Signal(str, float)

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, parent: QWidget | None = None):
        super().__init__(parent)
        self.lines: deque[OutputLine] = deque(maxlen=max_lines)
        self.bridge = RequestLogBridge(self, max_pending=max_lines)
        self.bridge.entriesReady.connect(self._take_lines)
        self._build(max_lines)
        stop = capture_output(self.bridge.hook)
        self._stop_capture = stop
        self.destroyed.connect(lambda *_: stop())

    def shutdown(self) -> None:
        """The window closes: stop taking the process's output now, not when Qt deletes this
        panel (a closed window may live on until garbage collection). Safe to call twice."""
        self._stop_capture()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self, max_lines: int) -> None:
        self.filter_box = QComboBox(self)
        self.filter_box.addItems([ALL_APPS, SERVER])
        self.filter_box.setAccessibleName("Show the output of")
        self.filter_box.currentTextChanged.connect(lambda _text: self._show_all())
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText("Find (Ctrl+F), Enter: next, Shift+Enter: previous")
        self.find_edit.setAccessibleName("Find in output")
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_status = QLabel(self)
        self.clear_button = QPushButton("C&lear", self, clicked=self.clear)
        self.clear_button.setAccessibleName("Clear the output")
        self.view = OutputView(self)
        self.view.setMaximumBlockCount(max_lines)
        self.view.setAccessibleName("Output of the applications and the server")
        self.view.linkActivated.connect(self._follow_link)
        layout = QVBoxLayout(self)
        layout.addLayout(self._controls())
        layout.addWidget(self.view, 1)
        self._shortcuts()

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        show_label = QLabel("S&how:", self)
        show_label.setBuddy(self.filter_box)
        find_label = QLabel("&Find:", self)
        find_label.setBuddy(self.find_edit)
        for widget in (show_label, self.filter_box, find_label):
            row.addWidget(widget)
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.find_status)
        row.addWidget(self.clear_button)
        return row

    def _shortcuts(self) -> None:
        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Find, self, self.start_find, context=scope)
        QShortcut(QKeySequence.StandardKey.FindNext, self, self.find_next, context=scope)
        QShortcut(QKeySequence.StandardKey.FindPrevious, self, self.find_previous, context=scope)
        QShortcut(QKeySequence("Shift+Return"), self.find_edit, self.find_previous,
                  context=Qt.ShortcutContext.WidgetShortcut)

    # -- lines ----------------------------------------------------------------------------------

    def add_message(self, text: str) -> None:
        """A line of the window's own (server started, stopped)."""
        self.add_lines([OutputLine(time.time(), "", "server", text)])

    def add_request(self, entry) -> None:
        """The access log's line of a served request (a ``RequestLogEntry``), from the
        request's thread: queued after what that request printed."""
        self.bridge.hook(access_output(entry))

    def add_lines(self, lines: list[OutputLine]) -> None:
        bar = self.view.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum()
        for line in lines:
            self.lines.append(line)
            self._know_app(line.app)
            if self._shown(line):
                self._append(line)
        if at_bottom:
            bar.setValue(bar.maximum())

    def clear(self) -> None:
        self.lines.clear()
        self.view.clear()

    def shown_text(self) -> str:
        return self.view.toPlainText()

    def _take_lines(self) -> None:
        self.add_lines(self.bridge.take())

    def _know_app(self, app: str) -> None:
        if app and self.filter_box.findText(app) < 0:
            self.filter_box.addItem(app)

    def _shown(self, line: OutputLine) -> bool:
        chosen = self.filter_box.currentText()
        return chosen == ALL_APPS or line.app == ("" if chosen == SERVER else chosen)

    def _show_all(self) -> None:
        self.view.clear()
        for line in self.lines:
            if self._shown(line):
                self._append(line)

    def _append(self, line: OutputLine) -> None:
        cursor = QTextCursor(self.view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if not self.view.document().isEmpty():
            cursor.insertBlock()
        stamp = time.strftime("%H:%M:%S", time.localtime(line.time))
        cursor.insertText(f"{stamp} [{line.app or 'server'}] ", QTextCharFormat())
        text_format = QTextCharFormat()
        if line.ticket:
            text_format.setAnchor(True)
            text_format.setAnchorHref(f"ticket:{line.app}@{line.time}")
            text_format.setForeground(LINK)
            text_format.setFontUnderline(True)
            text_format.setToolTip("Open this ticket in the Tickets panel (click or Enter)")
        cursor.insertText(line.text, text_format)

    def _follow_link(self, link: str) -> None:
        if link.startswith("ticket:"):
            app, _, when = link[len("ticket:"):].rpartition("@")
            self.ticketRequested.emit(app, float(when))

    # -- find -----------------------------------------------------------------------------------

    def start_find(self) -> None:
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def find_next(self) -> bool:
        return self._find(backward=False)

    def find_previous(self) -> bool:
        return self._find(backward=True)

    def _find(self, backward: bool) -> bool:
        """Select the next (or previous) match, wrapping around; say so when there is none."""
        text = self.find_edit.text()
        if not text:
            return False
        find = QTextDocument.FindFlag
        flags = find.FindBackward if backward else find(0)
        found = self.view.find(text, flags)
        if not found:
            self.view.moveCursor(QTextCursor.MoveOperation.End if backward
                                 else QTextCursor.MoveOperation.Start)
            found = self.view.find(text, flags)
        self.find_status.setText("" if found else "Not found")
        return found
