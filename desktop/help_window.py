"""The Help window (F1): the version, the README and the tutorial read offline, a quick reference
of the names app code sees, and the keyboard shortcuts of the window's own actions.

Markdown is rendered by Qt itself (``QTextBrowser`` reads Markdown with its tables and relative
images), so help needs no browser and no network. The shortcuts page is written from the
window's live ``QAction`` objects each time it is shown: it cannot drift from the menus.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from server.hosting import VERSION
from server.hosting.portable import help_documents

ABOUT, SHORTCUTS, REFERENCE = "About Pocketweb", "Keyboard shortcuts", "Quick reference"


class HelpWindow(QDialog):
    """A topic list on the left, the chosen topic on the right; ``show_topic`` opens one."""

    def __init__(self, actions: Callable[[], Mapping[str, QAction]],
                 open_url: Callable[[QUrl], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.actions = actions
        self.open_url = open_url
        self.documents = help_documents()
        self.setWindowTitle("Pocketweb help")
        self.setObjectName("help_window")
        self.resize(900, 650)
        self.topics = QListWidget()
        self.topics.setAccessibleName("Help topics")
        self.topics.addItems([ABOUT, *self.documents, REFERENCE, SHORTCUTS])
        self.topics.setMaximumWidth(200)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Help text")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.topics.currentTextChanged.connect(self._show)
        self._layout()

    def _layout(self) -> None:
        topics_label = QLabel("&Topics:")
        topics_label.setBuddy(self.topics)
        side = QVBoxLayout()
        side.addWidget(topics_label)
        side.addWidget(self.topics)
        row = QHBoxLayout()
        row.addLayout(side)
        row.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)

    def show_topic(self, title: str = ABOUT) -> None:
        """Show the window on ``title`` (one of the topic list's entries) and bring it forward."""
        matches = self.topics.findItems(title, Qt.MatchFlag.MatchExactly)
        self.topics.setCurrentItem(matches[0] if matches else self.topics.item(0))
        self._show(self.topics.currentItem().text())
        self.show()
        self.raise_()
        self.activateWindow()
        self.topics.setFocus()

    def _show(self, title: str) -> None:
        if title in self.documents:
            self.browser.setSource(QUrl.fromLocalFile(str(self.documents[title])),
                                   QTextDocument.ResourceType.MarkdownResource)
        elif title == REFERENCE:
            self.browser.setHtml(reference_html())
        elif title == SHORTCUTS:
            self.browser.setHtml(shortcuts_html(self.actions()))
        else:
            self.browser.setHtml(about_html(sorted(self.documents)))

    def _follow(self, url: QUrl) -> None:
        """Links between the bundled documents stay here; web links go to the browser."""
        if url.isLocalFile() or url.isRelative():
            target = self.browser.source().resolved(url) if url.isRelative() else url
            if target.toLocalFile().endswith(".md"):
                self.browser.setSource(target, QTextDocument.ResourceType.MarkdownResource)
            elif url.hasFragment() and url.path() == "":
                self.browser.scrollToAnchor(url.fragment())
            return
        self.open_url(url)


def about_html(documents: list[str]) -> str:
    bundled = ", ".join(documents) if documents else "none in this installation"
    return (f"<h1>Pocketweb {html.escape(VERSION)}</h1>"
            "<p>Web server, database, editor and admin in one portable window, after web2py. "
            "MIT licence.</p>"
            f"<p>Documents bundled for offline reading: {html.escape(bundled)}.</p>"
            "<p>Press F1 at any time to come back here.</p>")


def shortcuts_html(actions: Mapping[str, QAction]) -> str:
    """A table of every action that has a shortcut, as the menus show it."""
    rows = []
    for action in actions.values():
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            name = action.text().replace("&", "").rstrip("…")
            rows.append(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(name)}</td>"
                        f"<td>{html.escape(action.toolTip())}</td></tr>")
    return ("<h1>Keyboard shortcuts</h1><table cellpadding='4'>"
            "<tr><th align='left'>Keys</th><th align='left'>Action</th>"
            "<th align='left'>What it does</th></tr>" + "".join(rows) + "</table>")


def reference_html() -> str:
    """The names every model, controller and view sees, from the framework itself."""
    from server.manage.reference import global_names  # the framework: loaded when first asked

    rows = "".join(f"<tr><td><code>{html.escape(entry.name)}</code></td>"
                   f"<td>{html.escape(entry.kind)}</td><td>{html.escape(entry.summary)}</td></tr>"
                   for entry in global_names())
    return ("<h1>Quick reference</h1><p>Names every model, controller and view can use without "
            "importing them.</p><table cellpadding='3'><tr><th align='left'>Name</th>"
            "<th align='left'>Kind</th><th align='left'>What it is</th></tr>" + rows + "</table>")
