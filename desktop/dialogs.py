"""Every question the window asks the user, behind one object: :class:`Ask`.

The window only talks to an ``ask`` object, so tests hand it one that answers from a script
instead of opening modal dialogs. Each method returns ``None`` (or False) when the user cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop.admin_access import PROTECTS
from desktop.status_label import StatusLabel

FILE_KINDS = ("controller", "model", "view", "static", "module", "private", "language")
ARCHIVE_FILTER = "web2py application (*.w2p);;All files (*)"
# What is wrong with a dialog's answer (a message for the user), or None when nothing is.
Check = Callable[[object], "str | None"]


class Ask:
    """The real, modal dialogs, parented to ``parent``."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    def error(self, title: str, message: str) -> None:
        QMessageBox.warning(self.parent, title, message)

    def info(self, title: str, message: str) -> None:
        QMessageBox.information(self.parent, title, message)

    def confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self.parent, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def text(self, title: str, label: str, default: str = "") -> str | None:
        value, accepted = QInputDialog.getText(self.parent, title, label, text=default)
        value = value.strip()
        return value if accepted and value else None

    def new_application(self, starting_points: dict[str, str],
                        check: Check | None = None) -> tuple[str, str] | None:
        """``(name, starting point)`` of a new application; points are name -> description.
        ``check(answer)`` names what is wrong with an answer; the dialog stays open until none."""
        return run_dialog(NewApplicationDialog(starting_points, self.parent, check=check))

    def new_file(self, application: str) -> tuple[str, str] | None:
        """``(kind, name)`` of a new file for ``application``."""
        return run_dialog(NewFileDialog(application, self.parent))

    def new_password(self) -> str | None:
        return run_dialog(PasswordDialog(self.parent))

    def pack_options(self, application: str, destination: Path) -> tuple[Path, bool] | None:
        """``(destination, include_databases)`` for packing ``application``; ``destination``
        is the suggested file."""
        return run_dialog(PackDialog(application, destination, self.parent))

    def install_options(self, check: Check | None = None,
                        suggest_name: Callable[[str], str] = str,
                        ) -> tuple[Path, str, bool] | None:
        """``(archive, application name, overwrite)`` for installing a ``.w2p``;
        ``suggest_name`` turns the archive's name into the default application name."""
        return run_dialog(InstallDialog(self.parent, check=check, suggest_name=suggest_name))


def run_dialog(dialog: _FormDialog):
    """Show ``dialog`` modally: its answer, or None when cancelled. Then it is destroyed, so
    closed dialogs do not pile up under the window (nor in the accessibility tree)."""
    try:
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


class _FormDialog(QDialog):
    """A titled form with OK/Cancel; OK is enabled only while :meth:`is_complete` holds.

    OK closes the dialog only when ``check(answer)`` finds nothing wrong; otherwise its message
    shows in the form, which keeps what was typed (an error box would close the form with it).
    """

    def __init__(self, title: str, parent: QWidget | None, check: Check | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.check = check
        self.form = QFormLayout(self)
        self.problem = StatusLabel("Problem", self)
        self.problem.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def finish_form(self) -> None:
        self.form.addRow(self.problem)
        self.form.addRow(self.buttons)
        self.update_ok()

    def accept(self) -> None:
        problem = self.check(self.answer()) if self.check is not None else None
        self.problem.setText(problem or "")
        if not problem:
            super().accept()

    def answer(self):
        raise NotImplementedError

    def add_row(self, text: str, field: QWidget, accessible: str) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        field.setAccessibleName(accessible)
        if field.focusProxy() is not None:  # a path field: the line edit is what gets focus
            field.focusProxy().setAccessibleName(accessible)
        self.form.addRow(label, field)

    def update_ok(self, *_args) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.is_complete())

    def is_complete(self) -> bool:
        return True


class NewApplicationDialog(_FormDialog):
    """A name, and what to start from: the welcome scaffold or one of the examples."""

    def __init__(self, starting_points: dict[str, str], parent: QWidget | None = None,
                 check: Check | None = None):
        super().__init__("New application", parent, check)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. blog")
        self.name.textChanged.connect(self.update_ok)
        self.start_from = QComboBox()
        for point, description in starting_points.items():
            self.start_from.addItem(f"{point} \N{EM DASH} {description}", point)
        self.add_row("&Name:", self.name, "Application name")
        self.add_row("&Start from:", self.start_from, "Start from")
        self.finish_form()

    def is_complete(self) -> bool:
        return bool(self.name.text().strip()) and self.start_from.currentData() is not None

    def answer(self) -> tuple[str, str]:
        return self.name.text().strip(), self.start_from.currentData()


class NewFileDialog(_FormDialog):
    def __init__(self, application: str, parent: QWidget | None = None):
        super().__init__(f"New file in {application}", parent)
        self.kind = QComboBox()
        self.kind.addItems(FILE_KINDS)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. products")
        self.name.textChanged.connect(self.update_ok)
        self.add_row("&Kind:", self.kind, "Kind of file")
        self.add_row("&Name:", self.name, "File name")
        self.finish_form()

    def is_complete(self) -> bool:
        return bool(self.name.text().strip())

    def answer(self) -> tuple[str, str]:
        return self.kind.currentText(), self.name.text().strip()


class PasswordDialog(_FormDialog):
    """Choose the admin password; it is typed twice and only its hash is ever stored."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Choose the admin password", parent)
        explanation = QLabel(f"{PROTECTS} It is kept for this root folder, whatever the port.",
                             wordWrap=True)
        self.form.addRow(explanation)
        self.first = self._password_field()
        self.second = self._password_field()
        self.add_row("&Password:", self.first, "Admin password")
        self.add_row("&Repeat:", self.second, "Repeat admin password")
        self.mismatch = StatusLabel("Password check")
        self.form.addRow(self.mismatch)
        self.finish_form()

    def update_ok(self, *_args) -> None:
        super().update_ok()
        differ = bool(self.second.text()) and self.first.text() != self.second.text()
        self.mismatch.setText("The two entries differ: type the same password twice."
                              if differ else "")

    def _password_field(self) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.textChanged.connect(self.update_ok)
        return field

    def is_complete(self) -> bool:
        return bool(self.first.text()) and self.first.text() == self.second.text()

    def answer(self) -> str:
        return self.first.text()


class _PathField(QWidget):
    """A line edit with a Browse… button beside it."""

    def __init__(self, browse, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit()
        button = QPushButton("&Browse…")
        button.setAccessibleName("Browse for a file")
        button.clicked.connect(lambda: self._browse(browse))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(button)
        self.setFocusProxy(self.edit)

    def _browse(self, browse) -> None:
        chosen = browse(self)
        if chosen:
            self.edit.setText(chosen)


class PackDialog(_FormDialog):
    def __init__(self, application: str, destination: Path, parent: QWidget | None = None):
        super().__init__(f"Pack {application}", parent)
        self.path = _PathField(self._choose_destination)
        self.path.edit.setText(str(destination))
        self.path.edit.textChanged.connect(self.update_ok)
        self.databases = QCheckBox("Include &databases")
        self.databases.setAccessibleName("Include databases in the archive")
        self.add_row("&Save as:", self.path, "Archive file to write")
        self.form.addRow(self.databases)
        self.finish_form()

    def _choose_destination(self, parent) -> str:
        start = self.path.edit.text()
        return QFileDialog.getSaveFileName(parent, "Pack as", start, ARCHIVE_FILTER)[0]

    def is_complete(self) -> bool:
        return bool(self.path.edit.text().strip())

    def answer(self) -> tuple[Path, bool]:
        return Path(self.path.edit.text().strip()), self.databases.isChecked()


class InstallDialog(_FormDialog):
    def __init__(self, parent: QWidget | None = None, check: Check | None = None,
                 suggest_name: Callable[[str], str] = str):
        super().__init__("Install application", parent, check)
        self.suggest_name = suggest_name
        self._suggested = ""
        self.path = _PathField(self._choose_archive)
        self.path.edit.textChanged.connect(self._suggest_name)
        self.name = QLineEdit()
        self.name.textChanged.connect(self.update_ok)
        self.overwrite = QCheckBox("&Overwrite an existing application")
        self.overwrite.setAccessibleName("Overwrite an existing application of that name")
        self.add_row("&Archive:", self.path, "Archive file to install")
        self.add_row("&Name:", self.name, "Name of the installed application")
        self.form.addRow(self.overwrite)
        self.finish_form()

    def _choose_archive(self, parent) -> str:
        return QFileDialog.getOpenFileName(parent, "Install archive", "", ARCHIVE_FILTER)[0]

    def _suggest_name(self, text: str) -> None:
        """``web2py.app.blog.w2p`` suggests ``blog``, as web2py names its packs (made unique by
        ``suggest_name``)."""
        if self.name.text() in ("", self._suggested):
            stem = Path(text).stem.removeprefix("web2py.app.")
            self._suggested = self.suggest_name(stem) if stem else ""
            self.name.setText(self._suggested)

    def is_complete(self) -> bool:
        return bool(self.path.edit.text().strip() and self.name.text().strip())

    def answer(self) -> tuple[Path, str, bool]:
        archive = Path(self.path.edit.text().strip())
        return archive, self.name.text().strip(), self.overwrite.isChecked()
