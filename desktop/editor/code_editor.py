"""One Scintilla editor showing one file: lexer by extension, margins, folding, braces,
auto-indent, zoom, completion, yatl ``{{ }}`` regions and Python syntax errors after save."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget
from pyside6_scintilla import Scintilla, ScintillaEdit

from desktop import themes
from desktop.editor.completion import MIN_PREFIX, CompletionWords
from desktop.editor.files import (
    TextFile,
    content_digest,
    read_text_file,
    write_text_file,
)
from desktop.editor.lexers import LexerSpec, install_lexer, lexer_for_path
from desktop.editor.syntax_check import SyntaxChecker, SyntaxProblem

LINE_NUMBER_MARGIN = 0
MARKER_MARGIN = 1
FOLD_MARGIN = 2
ERROR_MARKER = 0
TEMPLATE_INDICATOR = 8  # the first indicator Scintilla leaves to containers
INDENT_WIDTH = 4
BRACES = b"()[]{}"
TEMPLATE_REGION = re.compile(rb"\{\{.*?\}\}", re.DOTALL)
TEMPLATE_REFRESH_MS = 120
VISIBLE_LINES_FLOOR = 60  # when the widget has no size yet (hidden), box this many lines

FOLD_SYMBOLS = {
    Scintilla.MarkerOutline.FolderOpen: Scintilla.MarkerSymbol.BoxMinus,
    Scintilla.MarkerOutline.Folder: Scintilla.MarkerSymbol.BoxPlus,
    Scintilla.MarkerOutline.FolderSub: Scintilla.MarkerSymbol.VLine,
    Scintilla.MarkerOutline.FolderTail: Scintilla.MarkerSymbol.LCorner,
    Scintilla.MarkerOutline.FolderEnd: Scintilla.MarkerSymbol.BoxPlusConnected,
    Scintilla.MarkerOutline.FolderOpenMid: Scintilla.MarkerSymbol.BoxMinusConnected,
    Scintilla.MarkerOutline.FolderMidTail: Scintilla.MarkerSymbol.TCorner,
}


class CodeEditor(ScintillaEdit):
    """A Scintilla editor bound to one file on disk.

    Create it with ``CodeEditor.from_file(path)``, which refuses binary or undecodable files
    by raising ``UnreadableFileError`` before any widget exists.
    """

    modifiedChanged = Signal(bool)
    syntaxChecked = Signal(object)  # SyntaxProblem | None, some time after a Python save

    def __init__(self, path: Path, text_file: TextFile, theme: str = "light",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.lexer_spec: LexerSpec = lexer_for_path(path)
        self.theme = theme
        self.syntax_problem: SyntaxProblem | None = None
        self._disk_digest: str | None = text_file.digest
        self._has_bom = text_file.has_bom
        self._completion = CompletionWords()
        self._syntax_checker = SyntaxChecker(self)
        self._annotation_style = self.allocateExtendedStyles(1)
        self._template_timer = self._make_template_timer()
        install_lexer(self, self.lexer_spec)
        self._configure_view()
        self._configure_margins()
        self._configure_indicators_and_annotations()
        self._install_shortcuts()
        self._connect_signals()
        self.set_theme(theme)
        self._show_text(text_file)
        self.setAccessibleName(f"Code editor: {path.name}")
        self.setAccessibleDescription(str(path))

    @classmethod
    def from_file(cls, path: Path, theme: str = "light",
                  parent: QWidget | None = None) -> CodeEditor:
        return cls(path, read_text_file(path), theme, parent)

    # ----- text and file -------------------------------------------------------------------

    def text(self) -> str:
        return self.source_bytes().decode("utf-8", "replace")

    def source_bytes(self) -> bytes:
        """The buffer exactly as it will be written (UTF-8, line endings as typed or loaded)."""
        return bytes(self.textRange(0, self.length()))

    def is_modified(self) -> bool:
        return self.modify()

    def save(self) -> None:
        """Write the buffer to disk (``OSError`` propagates), then check Python syntax.

        A syntax error never stops the save: when the check reports, it is shown on its
        line and ``syntaxChecked`` is emitted.
        """
        data = self.source_bytes()
        self._disk_digest = write_text_file(self.path, data, self._has_bom)
        self.setSavePoint()
        if self.lexer_spec.is_python:
            self._syntax_checker.check(data, str(self.path))

    def changed_on_disk(self) -> bool:
        """Whether the file now differs from what this editor last loaded, saved or saw."""
        return content_digest(self.path) != self._disk_digest

    def mark_disk_version_seen(self) -> None:
        """The user kept their edits over the file's new content: ask again only if it
        changes once more."""
        self._disk_digest = content_digest(self.path)

    def reload(self) -> None:
        """Re-read the file from disk, keeping the caret on the same line number."""
        text_file = read_text_file(self.path)
        caret_line = self.caret_line()
        first_visible = self.firstVisibleLine()
        self._has_bom = text_file.has_bom
        self._disk_digest = text_file.digest
        self._show_text(text_file)
        self.go_to_line(caret_line)
        self.setFirstVisibleLine(first_visible)

    def _show_text(self, text_file: TextFile) -> None:
        self.setEOLMode(Scintilla.EndOfLine.CrLf if text_file.uses_crlf else Scintilla.EndOfLine.Lf)
        self.setText(text_file.text)
        self.emptyUndoBuffer()
        self.setSavePoint()
        self.gotoPos(0)
        self._update_line_number_width()
        self.refresh_template_regions()

    # ----- navigation ----------------------------------------------------------------------

    def caret_line(self) -> int:
        """1-based line of the caret."""
        return self.lineFromPosition(self.currentPos()) + 1

    def go_to_line(self, line: int) -> None:
        """Put the caret at the start of 1-based ``line`` (clamped) and scroll it into view."""
        index = min(max(line, 1), self.lineCount()) - 1
        self.ensureVisibleEnforcePolicy(index)
        self.gotoLine(index)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Close a completion list with its editor; a stray popup would take the keyboard."""
        self.autoCCancel()
        super().hideEvent(event)

    def focus_editor(self) -> None:
        # ScintillaEdit.setFocus(bool) shadows QWidget.setFocus().
        QWidget.setFocus(self)

    # ----- appearance ----------------------------------------------------------------------

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        themes.apply_theme(self, theme)
        self.styleSetFore(self._annotation_style, themes.colour(theme, "annotation_fore"))
        self.styleSetBack(self._annotation_style, themes.colour(theme, "annotation_back"))
        self.markerSetBack(ERROR_MARKER, themes.colour(theme, "error"))
        self.markerSetFore(ERROR_MARKER, themes.colour(theme, "error"))
        self.indicSetFore(TEMPLATE_INDICATOR, themes.colour(theme, "template_region"))
        self._update_line_number_width()

    def zoom_in(self) -> None:
        self.zoomIn()

    def zoom_out(self) -> None:
        self.zoomOut()

    def zoom_reset(self) -> None:
        self.setZoom(0)

    def _configure_view(self) -> None:
        self.setCodePage(Scintilla.CpUtf8)
        self.setCaretLineVisible(True)
        self.setCaretLineVisibleAlways(True)
        self.setUseTabs(False)
        self.setIndent(INDENT_WIDTH)
        self.setTabWidth(INDENT_WIDTH)
        self.setTabIndents(True)
        self.setBackSpaceUnIndents(True)
        self.setIndentationGuides(Scintilla.IndentView.LookBoth)
        self.setScrollWidthTracking(True)
        self.autoCSetIgnoreCase(False)
        self.autoCSetMaxHeight(10)

    def _configure_margins(self) -> None:
        self.setMarginTypeN(LINE_NUMBER_MARGIN, Scintilla.MarginType.Number)
        self.setMarginTypeN(MARKER_MARGIN, Scintilla.MarginType.Symbol)
        self.setMarginMaskN(MARKER_MARGIN, 1 << ERROR_MARKER)
        self.setMarginWidthN(MARKER_MARGIN, 12)
        self.markerDefine(ERROR_MARKER, Scintilla.MarkerSymbol.Circle)
        self.setMarginTypeN(FOLD_MARGIN, Scintilla.MarginType.Symbol)
        self.setMarginMaskN(FOLD_MARGIN, Scintilla.MaskFolders)
        self.setMarginSensitiveN(FOLD_MARGIN, True)
        self.setMarginWidthN(FOLD_MARGIN, 14)
        for marker, symbol in FOLD_SYMBOLS.items():
            self.markerDefine(marker, symbol)
        self.setAutomaticFold(
            Scintilla.AutomaticFold.Show | Scintilla.AutomaticFold.Click
            | Scintilla.AutomaticFold.Change
        )
        self.setFoldFlags(16)  # SC_FOLDFLAG_LINEAFTER_CONTRACTED: a line under folded blocks

    def _configure_indicators_and_annotations(self) -> None:
        self.indicSetStyle(TEMPLATE_INDICATOR, Scintilla.IndicatorStyle.RoundBox)
        self.indicSetAlpha(TEMPLATE_INDICATOR, 40)
        self.indicSetOutlineAlpha(TEMPLATE_INDICATOR, 140)
        self.indicSetUnder(TEMPLATE_INDICATOR, True)
        self.annotationSetVisible(Scintilla.AnnotationVisible.Boxed)
        self.annotationSetStyleOffset(self._annotation_style)

    def _update_line_number_width(self) -> None:
        digits = len(str(max(self.lineCount(), 99)))
        width = self.textWidth(themes.STYLE_LINE_NUMBER, "9" * (digits + 1))
        self.setMarginWidthN(LINE_NUMBER_MARGIN, width)

    # ----- signals and keys ----------------------------------------------------------------

    def _install_shortcuts(self) -> None:
        bindings = {
            "Ctrl+=": self.zoom_in,
            "Ctrl++": self.zoom_in,
            "Ctrl+-": self.zoom_out,
            "Ctrl+0": self.zoom_reset,
            "Ctrl+Space": self.show_completions,
        }
        for keys, slot in bindings.items():
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    def _connect_signals(self) -> None:
        self.savePointChanged.connect(lambda at_save_point: self.modifiedChanged.emit(
            not at_save_point))
        self.charAdded.connect(self._on_char_added)
        self._syntax_checker.checked.connect(self._on_syntax_checked)
        self.updateUi.connect(self._on_update_ui)
        self.linesAdded.connect(lambda _count: self._update_line_number_width())
        self.zoom.connect(lambda _level: self._update_line_number_width())
        if self.lexer_spec.is_template:
            self.notifyChange.connect(self._template_timer.start)
            self.resized.connect(self._template_timer.start)

    def _on_char_added(self, character: int) -> None:
        if character in (ord("\n"), ord("\r")):
            self._indent_new_line(character)
        elif chr(character).isidentifier() or chr(character).isdigit():
            self._complete_if_long_enough()

    # ----- auto-indent ---------------------------------------------------------------------

    def _indent_new_line(self, character: int) -> None:
        """Give a new line the previous line's indent, one level more after a Python ':'."""
        if character == ord("\r") and self.eOLMode() != Scintilla.EndOfLine.Cr:
            return  # the '\n' of this CRLF comes next
        line = self.lineFromPosition(self.currentPos())
        if line == 0:
            return
        indent = self.lineIndentation(line - 1)
        if self.lexer_spec.is_python and self._opens_block(line - 1):
            indent += INDENT_WIDTH
        if indent:
            self.setLineIndentation(line, indent)
            self.gotoPos(self.lineIndentPosition(line))

    def _opens_block(self, line: int) -> bool:
        text = bytes(self.getLine(line)).decode("utf-8", "replace")
        code = text.split("#", 1)[0].rstrip()
        return code.endswith(":")

    # ----- braces --------------------------------------------------------------------------

    def _highlight_braces(self) -> None:
        position = self._brace_position()
        if position < 0:
            self.braceHighlight(-1, -1)
            return
        match = self.braceMatch(position, 0)
        if match < 0:
            self.braceBadLight(position)
        else:
            self.braceHighlight(position, match)

    def _brace_position(self) -> int:
        """The brace at or just before the caret, or -1."""
        caret = self.currentPos()
        for position in (caret - 1, caret):
            if 0 <= position < self.length() and self.charAt(position) in BRACES:
                return position
        return -1

    # ----- completion ----------------------------------------------------------------------

    def set_completion_words(self, words: list[str]) -> None:
        self._completion.set_extra_words(words)

    def show_completions(self) -> None:
        """Ctrl+Space: offer completions for the word before the caret, however short."""
        self._show_completions(self._word_before_caret())

    def _complete_if_long_enough(self) -> None:
        prefix = self._word_before_caret()
        if len(prefix) >= MIN_PREFIX and not self.autoCActive():
            self._show_completions(prefix)

    def _show_completions(self, prefix: str) -> None:
        candidates = self._completion.candidates(prefix)
        if candidates:
            self.autoCShow(len(prefix.encode()), " ".join(candidates))

    def _word_before_caret(self) -> str:
        caret = self.currentPos()
        start = self.wordStartPosition(caret, True)
        return bytes(self.textRange(start, caret)).decode("utf-8", "replace")

    # ----- yatl {{ }} regions ---------------------------------------------------------------

    def _make_template_timer(self) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(TEMPLATE_REFRESH_MS)
        timer.timeout.connect(self.refresh_template_regions)
        return timer

    def template_regions(self, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Byte ranges ``(start, end)`` of the ``{{ ... }}`` code overlapping ``start..end``.

        Scanning starts after the last ``}}`` before ``start``: a region ends at its first
        ``}}``, so no ``}}`` lies inside one and the scan is outside any region there.
        """
        if not self.lexer_spec.is_template:
            return []
        data = self.source_bytes()
        end = len(data) if end is None else end
        last_close = data.rfind(b"}}", 0, start)
        regions = []
        for match in TEMPLATE_REGION.finditer(data, last_close + 2 if last_close >= 0 else 0):
            if match.start() >= end:
                break
            if match.end() > start:
                regions.append(match.span())
        return regions

    def refresh_template_regions(self) -> None:
        """Box the ``{{ ... }}`` regions on and near the screen; the hypertext lexer alone
        cannot mark them all, and boxing a whole big view would take tens of ms."""
        self.setIndicatorCurrent(TEMPLATE_INDICATOR)
        self.indicatorClearRange(0, self.length())
        for start, end in self.template_regions(*self._nearly_visible_range()):
            self.indicatorFillRange(start, end - start)

    def _nearly_visible_range(self) -> tuple[int, int]:
        """Byte range of the lines on screen plus a screenful above and below."""
        lines = max(self.linesOnScreen(), VISIBLE_LINES_FLOOR)
        top = self.docLineFromVisible(self.firstVisibleLine())
        first = max(top - lines, 0)
        last = min(top + 2 * lines, self.lineCount() - 1)
        return self.positionFromLine(first), self.lineEndPosition(last)

    def _on_update_ui(self, updated: int) -> None:
        self._highlight_braces()
        if self.lexer_spec.is_template and updated & Scintilla.Update.VScroll:
            self.refresh_template_regions()

    # ----- Python syntax -------------------------------------------------------------------

    def _on_syntax_checked(self, problem: SyntaxProblem | None) -> None:
        self.clear_syntax_problem()
        if problem is not None:
            self._show_syntax_problem(problem)
        self.syntaxChecked.emit(problem)

    def clear_syntax_problem(self) -> None:
        self.syntax_problem = None
        self.annotationClearAll()
        self.markerDeleteAll(ERROR_MARKER)
        self.setAccessibleDescription(str(self.path))

    def _show_syntax_problem(self, problem: SyntaxProblem) -> None:
        self.syntax_problem = problem
        index = min(max(problem.line, 1), self.lineCount()) - 1
        self.markerAdd(index, ERROR_MARKER)
        self.annotationSetText(index, f"SyntaxError: {problem.message}")
        self.annotationSetStyle(index, 0)  # relative to the annotation style offset
        # An annotation is drawn, not read out: screen readers get it from the description.
        self.setAccessibleDescription(
            f"{self.path} — SyntaxError on line {index + 1}: {problem.message}")
