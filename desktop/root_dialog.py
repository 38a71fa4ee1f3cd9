"""Ask for a writable data folder when the program's own folder cannot be written.

A double-clicked program has no terminal to print to, so a read-only stick gets a dialog that
says why and offers the per-user folder or a folder of the user's choice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox


def ask_for_writable_root(problem: str, suggestion: Path) -> Path | None:
    """The folder the user picked to keep Pocketweb's data in, or None to quit."""
    QApplication.instance() or QApplication(sys.argv)
    box = QMessageBox(QMessageBox.Icon.Warning, "Pocketweb: folder not writable", problem)
    box.setAccessibleName("Folder not writable")
    use = box.addButton(f"Use {suggestion}", QMessageBox.ButtonRole.AcceptRole)
    choose = box.addButton("Choose another folder…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(use)
    box.exec()
    if box.clickedButton() is use:
        return suggestion
    if box.clickedButton() is choose:
        folder = QFileDialog.getExistingDirectory(None, "Folder for Pocketweb's data")
        return Path(folder) if folder else None
    return None
