"""The translations editor: an app's messages per language, untranslated first, and the plural
forms of the words they count; saved in web2py's ``languages/*.py`` format.

The messages are found by scanning the app's code and views (:mod:`server.manage.translations`),
so a string just added to a controller is there the next time the editor opens. A language is
added from its code (``it``, ``pt-br``); the file starts with every message untranslated.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from server.manage import translations
from server.manage.app_folders import AppError

READ_ONLY = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled


class TranslationsEditor(QDialog):
    """``open_for(app_folder)`` shows the app's languages; Save writes the current one."""

    saved = Signal(Path)  # the language file written (the window's live reload hears it)

    def __init__(self, root: Path, ask, selected_app: Callable[[], str | None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.ask = ask
        self.selected_app = selected_app
        self.app_folder: Path | None = None
        self.setWindowTitle("Translations")
        self.setObjectName("translations_editor")
        self.resize(820, 560)
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName("Language")
        self.language_combo.currentTextChanged.connect(self._load)
        self.new_button = QPushButton("&New language…", clicked=self.add_language)
        self.summary = QLabel()
        self.summary.setAccessibleName("Translation progress")
        self.table = self._table(("Message", "Translation", "State"), "Messages and translations")
        self.plurals = self._table(("Word",), "Plural forms of counted words")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "&Messages")
        self.tabs.addTab(self.plurals, "&Plural forms")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.close)
        self._layout(buttons)

    @staticmethod
    def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(columns)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        if len(columns) == 3:  # the state column needs only its words
            table.horizontalHeader().setSectionResizeMode(
                2, QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().hide()
        return table

    def _layout(self, buttons: QDialogButtonBox) -> None:
        label = QLabel("&Language:")
        label.setBuddy(self.language_combo)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.language_combo, 1)
        row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    # -- showing --------------------------------------------------------------------------------

    def open_selected(self) -> None:
        """The menu's entry: the editor on the application selected in the tree."""
        app = self.selected_app()
        if app is None:
            self.ask.error("Translations", "Select an application in the tree first.")
            return
        self.open_for(self.root / "applications" / app)

    def open_for(self, app_folder: Path) -> None:
        self.app_folder = Path(app_folder)
        self.setWindowTitle(f"Translations of {self.app_folder.name}")
        self._fill_languages()
        self.show()
        self.raise_()
        self.language_combo.setFocus()

    def _fill_languages(self, chosen: str = "") -> None:
        codes = translations.languages(self.app_folder)
        self.language_combo.blockSignals(True)
        self.language_combo.clear()
        self.language_combo.addItems(codes)
        self.language_combo.blockSignals(False)
        if chosen in codes:
            self.language_combo.setCurrentText(chosen)
        self._load(self.language_combo.currentText())

    def _load(self, code: str) -> None:
        self.table.setRowCount(0)
        self.plurals.setRowCount(0)
        self.save_button.setEnabled(bool(code))
        if not code or self.app_folder is None:
            self.summary.setText("No language yet: add one with New language.")
            return
        found = translations.messages(self.app_folder, code)
        for message in found:
            self._add_message(message)
        missing = sum(message.untranslated for message in found)
        self.summary.setText(f"{code}: {len(found) - missing} of {len(found)} translated; "
                             "the untranslated ones are listed first.")
        self._load_plurals(code)

    def _add_message(self, message: translations.Message) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        source = QTableWidgetItem(message.text)
        source.setFlags(READ_ONLY)
        state = "untranslated" if message.untranslated else "translated"
        state_item = QTableWidgetItem(state if message.used else f"{state}, not used")
        state_item.setFlags(READ_ONLY)
        if message.untranslated:
            bold = QFont(source.font())
            bold.setBold(True)
            source.setFont(bold)
        self.table.setItem(row, 0, source)
        self.table.setItem(row, 1, QTableWidgetItem(message.translation))
        self.table.setItem(row, 2, state_item)

    def _load_plurals(self, code: str) -> None:
        words = translations.plural_words(self.app_folder, code)
        forms = translations.number_of_forms(code) - 1
        self.plurals.setColumnCount(1 + forms)
        self.plurals.setHorizontalHeaderLabels(
            ["Word (one)", *(f"Form {number + 2}" for number in range(forms))])
        for word in words:
            row = self.plurals.rowCount()
            self.plurals.insertRow(row)
            item = QTableWidgetItem(word.word)
            item.setFlags(READ_ONLY)
            self.plurals.setItem(row, 0, item)
            for column, form in enumerate(word.forms, start=1):
                self.plurals.setItem(row, column, QTableWidgetItem(form))

    # -- editing --------------------------------------------------------------------------------

    def translation_rows(self) -> dict[str, str]:
        return {self.table.item(row, 0).text(): self.table.item(row, 1).text()
                for row in range(self.table.rowCount())}

    def plural_rows(self) -> dict[str, tuple[str, ...]]:
        return {self.plurals.item(row, 0).text():
                tuple(self.plurals.item(row, column).text().strip()
                      for column in range(1, self.plurals.columnCount()))
                for row in range(self.plurals.rowCount())}

    def set_translation(self, message: str, text: str) -> None:
        """Type ``text`` as the translation of ``message`` (what the user does in the table)."""
        row = next(row for row in range(self.table.rowCount())
                   if self.table.item(row, 0).text() == message)
        self.table.item(row, 1).setText(text)

    def save(self) -> None:
        code = self.language_combo.currentText()
        if not code or self.app_folder is None:
            return
        try:
            translations.save(self.app_folder, code, self.translation_rows(), self.plural_rows())
        except (AppError, OSError) as exc:
            self.ask.error("Translations", f"Could not save {code}: {exc}")
            return
        self._load(code)
        self.summary.setText(f"Saved languages/{code}.py. " + self.summary.text())
        self.saved.emit(self.app_folder / "languages" / f"{code}.py")

    def add_language(self) -> None:
        if self.app_folder is None:
            return
        code = self.ask.text("New language", "Language code (such as it, fr, pt-br):")
        if not code:
            return
        try:
            path = translations.new_language(self.app_folder, code)
        except (AppError, OSError) as exc:
            self.ask.error("New language", str(exc))
            return
        self._fill_languages(path.stem)
