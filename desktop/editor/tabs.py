"""The editor tab widget: one CodeEditor per open file, saving, closing, outside changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QTabWidget, QWidget

from desktop.editor.code_editor import CodeEditor
from desktop.editor.files import UnreadableFileError
from desktop.editor.find_replace import FindReplaceBar

MODIFIED_MARK = "• "
EXTERNAL_CHANGE_SETTLE_MS = 150  # editors that save in several writes fire several signals

SaveAnswer = QMessageBox.StandardButton


def distinct_titles(paths: list[Path]) -> list[str]:
    """For each path, the shortest tail of it (``name``, ``folder/name``...) no other has."""
    def tail(path: Path, length: int) -> str:
        return "/".join(path.parts[-length:])

    titles = []
    for path in paths:
        length = 1
        while length < len(path.parts) and any(
                other != path and tail(other, length) == tail(path, length) for other in paths):
            length += 1
        titles.append(tail(path, length))
    return titles


class EditorTabs(QTabWidget):
    """Tabs of code editors.

    The questions it asks are attributes so a caller (or a test) can answer them without a
    modal dialog: ``confirm_save(path) -> Save | Discard | Cancel``,
    ``confirm_reload(path) -> bool`` and ``report_error(title, message)``.
    """

    fileSaved = Signal(Path)
    currentFileChanged = Signal(object)  # Path | None
    countChanged = Signal(int)  # how many files are open, after one opened or closed
    editorOpened = Signal(object)  # the CodeEditor of a file just opened in a new tab

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = "light"
        self.completion_words: list[str] = []
        self.confirm_save: Callable[[Path], SaveAnswer] = self._ask_save
        self.confirm_reload: Callable[[Path], bool] = self._ask_reload
        self.report_error: Callable[[str, str], None] = self._show_error
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.setAccessibleName("Open files")
        self.find_bar = FindReplaceBar(self.current_editor, self)
        self._watcher = QFileSystemWatcher(self)
        self._changed_paths: set[Path] = set()
        self._settle_timer = self._make_settle_timer()
        self.tabCloseRequested.connect(self.close_tab)
        self.currentChanged.connect(self._on_current_changed)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._install_shortcuts()

    # ----- opening -------------------------------------------------------------------------

    def open_file(self, path: Path, line: int | None = None) -> CodeEditor | None:
        """Show ``path`` (focusing its tab if already open) and optionally go to ``line``.

        Returns None, after telling the user why, when the file cannot be shown as text.
        """
        path = Path(path).resolve()
        editor = self.editor_for(path) or self._open_new(path)
        if editor is None:
            return None
        self.setCurrentWidget(editor)
        if line is not None:
            editor.go_to_line(line)
        editor.focus_editor()
        return editor

    def _open_new(self, path: Path) -> CodeEditor | None:
        try:
            editor = CodeEditor.from_file(path, self.theme)
        except UnreadableFileError as error:
            self.report_error("Cannot open file", str(error))
            return None
        editor.set_completion_words(self.completion_words)
        editor.modifiedChanged.connect(lambda _modified: self._refresh_titles())
        index = self.addTab(editor, path.name)
        self.setTabToolTip(index, str(path))
        self._refresh_titles()
        self._watcher.addPath(str(path))
        self.editorOpened.emit(editor)
        return editor

    def tabInserted(self, index: int) -> None:  # noqa: N802 (Qt override)
        super().tabInserted(index)
        self.countChanged.emit(self.count())

    def tabRemoved(self, index: int) -> None:  # noqa: N802 (Qt override)
        super().tabRemoved(index)
        self.countChanged.emit(self.count())

    # ----- lookups -------------------------------------------------------------------------

    def editors(self) -> list[CodeEditor]:
        return [self.widget(index) for index in range(self.count())]

    def current_editor(self) -> CodeEditor | None:
        return self.currentWidget()

    def editor_for(self, path: Path) -> CodeEditor | None:
        path = Path(path).resolve()
        return next((editor for editor in self.editors() if editor.path == path), None)

    def open_paths(self) -> list[Path]:
        """Paths of the open files in tab order, e.g. to reopen them next time."""
        return [editor.path for editor in self.editors()]

    # ----- saving --------------------------------------------------------------------------

    def save_current(self) -> bool:
        editor = self.current_editor()
        return editor is not None and self.save_editor(editor)

    def save_all(self) -> bool:
        """Save every modified file; False if any could not be written."""
        results = [self.save_editor(editor) for editor in self.editors() if editor.is_modified()]
        return all(results)

    def save_editor(self, editor: CodeEditor) -> bool:
        """Save one editor. A Python syntax error is shown in the editor but still saved."""
        try:
            editor.save()
        except OSError as error:
            reason = error.strerror or str(error)
            self.report_error("Cannot save file", f"{editor.path} was not saved: {reason}.")
            return False
        self.fileSaved.emit(editor.path)
        return True

    # ----- closing -------------------------------------------------------------------------

    def close_tab(self, index: int) -> bool:
        """Close a tab, asking Save / Discard / Cancel first when it has unsaved changes."""
        editor = self.widget(index)
        if editor is None or not self._resolve_unsaved(editor):
            return False
        self._watcher.removePath(str(editor.path))
        self.removeTab(index)
        editor.deleteLater()
        self._refresh_titles()
        return True

    def close_current(self) -> bool:
        """Ctrl+W: close the tab in front (asking about unsaved changes first)."""
        return self.count() > 0 and self.close_tab(self.currentIndex())

    def maybe_close_all(self) -> bool:
        """Before the window closes: resolve every unsaved file; False if the user cancels."""
        return all(self._resolve_unsaved(editor) for editor in self.editors())

    def _resolve_unsaved(self, editor: CodeEditor) -> bool:
        if not editor.is_modified():
            return True
        self.setCurrentWidget(editor)
        answer = self.confirm_save(editor.path)
        if answer == SaveAnswer.Save:
            return self.save_editor(editor)
        return answer == SaveAnswer.Discard

    # ----- appearance ----------------------------------------------------------------------

    def set_theme(self, name: str) -> None:
        """Switch every open editor (and those opened later) to theme ``name``."""
        self.theme = name
        for editor in self.editors():
            editor.set_theme(name)

    def set_completion_words(self, words: list[str]) -> None:
        """Extra words to complete, e.g. the app's table and field names."""
        self.completion_words = list(words)
        for editor in self.editors():
            editor.set_completion_words(self.completion_words)

    def _refresh_titles(self) -> None:
        """Tab titles: the file name, with parent folders added where names collide
        (every app has a controllers/default.py), and a marker when modified."""
        editors = self.editors()
        titles = distinct_titles([editor.path for editor in editors])
        for index, (editor, title) in enumerate(zip(editors, titles, strict=True)):
            modified = editor.is_modified()
            self.setTabText(index, (MODIFIED_MARK if modified else "") + title)
            state = "modified" if modified else "saved"
            editor.setAccessibleName(f"Code editor: {title}, {state}")

    def _on_current_changed(self, _index: int) -> None:
        editor = self.current_editor()
        self.currentFileChanged.emit(editor.path if editor else None)

    # ----- find bar ------------------------------------------------------------------------

    def show_find(self) -> None:
        self._show_bar(self.find_bar.show_find)

    def show_replace(self) -> None:
        self._show_bar(self.find_bar.show_replace)

    def show_go_to_line(self) -> None:
        self._show_bar(self.find_bar.show_go_to_line)

    def _show_bar(self, show: Callable[[], None]) -> None:
        if self.current_editor() is None:
            return
        show()
        self._place_find_bar()

    def _install_shortcuts(self) -> None:
        for keys, slot in (("Ctrl+F", self.show_find), ("Ctrl+H", self.show_replace),
                           ("Ctrl+G", self.show_go_to_line)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _place_find_bar(self) -> None:
        """The bar floats over the bottom of the tabs, like a browser's find bar."""
        height = self.find_bar.sizeHint().height()
        self.find_bar.setGeometry(0, self.height() - height, self.width(), height)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._place_find_bar()

    # ----- changes made by other programs --------------------------------------------------

    def _make_settle_timer(self) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(EXTERNAL_CHANGE_SETTLE_MS)
        timer.timeout.connect(self._handle_external_changes)
        return timer

    def _on_file_changed(self, path_text: str) -> None:
        path = Path(path_text)
        if path.exists() and path_text not in self._watcher.files():
            self._watcher.addPath(path_text)  # replaced atomically: the watch was dropped
        self._changed_paths.add(path)
        self._settle_timer.start()

    def _handle_external_changes(self) -> None:
        changed, self._changed_paths = self._changed_paths, set()
        for path in changed:
            if path.exists() and str(path) not in self._watcher.files():
                self._watcher.addPath(str(path))  # it was deleted, then written anew
            editor = self.editor_for(path)
            if editor is not None and path.exists() and editor.changed_on_disk():
                self._offer_reload(editor)

    def _offer_reload(self, editor: CodeEditor) -> None:
        if editor.is_modified() and not self.confirm_reload(editor.path):
            editor.mark_disk_version_seen()
            return
        try:
            editor.reload()
        except UnreadableFileError as error:
            self.report_error("Cannot reload file", str(error))
        self._refresh_titles()

    # ----- default dialogs -----------------------------------------------------------------

    def _ask_save(self, path: Path) -> SaveAnswer:
        return QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {path.name} before closing?",
            SaveAnswer.Save | SaveAnswer.Discard | SaveAnswer.Cancel, SaveAnswer.Save)

    def _ask_reload(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self, "File changed on disk",
            f"{path.name} was changed by another program. Reload it and lose your edits here?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                          self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal but does not block the event loop
