from pathlib import Path

import pytest
from modal import ModalAnswer
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QPushButton

from desktop.dialogs import (
    FILE_KINDS,
    Ask,
    InstallDialog,
    NewApplicationDialog,
    NewFileDialog,
    PackDialog,
    PasswordDialog,
)


def ok_enabled(dialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_password_must_be_typed_twice_the_same(qtbot):
    dialog = PasswordDialog()
    qtbot.addWidget(dialog)
    assert not ok_enabled(dialog)
    dialog.first.setText("s3cret")
    dialog.second.setText("s3cre")
    assert not ok_enabled(dialog)
    assert "differ" in dialog.mismatch.text() and "differ" in dialog.mismatch.accessibleName()
    dialog.second.setText("s3cret")
    assert ok_enabled(dialog)
    assert dialog.mismatch.text() == ""
    assert dialog.answer() == "s3cret"


def test_password_dialog_says_what_the_password_protects(qtbot):
    dialog = PasswordDialog()
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.mismatch).__mro__[1]))
    assert "appadmin" in texts and "root folder" in texts


def test_new_application_offers_every_starting_point_and_needs_a_name(qtbot):
    dialog = NewApplicationDialog({"welcome": "the scaffold", "bank": "money"})
    qtbot.addWidget(dialog)
    assert [dialog.start_from.itemText(i) for i in range(dialog.start_from.count())] == [
        "welcome \N{EM DASH} the scaffold", "bank \N{EM DASH} money"]
    assert not ok_enabled(dialog)
    dialog.name.setText(" savings ")
    dialog.start_from.setCurrentIndex(1)
    assert ok_enabled(dialog)
    assert dialog.answer() == ("savings", "bank")


def test_new_file_offers_every_kind_and_needs_a_name(qtbot):
    dialog = NewFileDialog("blog")
    qtbot.addWidget(dialog)
    assert [dialog.kind.itemText(i) for i in range(dialog.kind.count())] == list(FILE_KINDS)
    assert not ok_enabled(dialog)
    dialog.kind.setCurrentText("view")
    dialog.name.setText(" default/about ")
    assert ok_enabled(dialog)
    assert dialog.answer() == ("view", "default/about")


def test_pack_answers_destination_and_database_choice(qtbot, tmp_path):
    dialog = PackDialog("blog", tmp_path / "web2py.app.blog.w2p")
    qtbot.addWidget(dialog)
    assert dialog.path.edit.text() == str(tmp_path / "web2py.app.blog.w2p")
    dialog.path.edit.setText(str(tmp_path / "out.w2p"))
    dialog.databases.setChecked(True)
    assert dialog.answer() == (tmp_path / "out.w2p", True)


def test_install_suggests_the_name_from_the_archive_until_edited(qtbot):
    dialog = InstallDialog()
    qtbot.addWidget(dialog)
    assert not ok_enabled(dialog)
    dialog.path.edit.setText("/tmp/web2py.app.blog.w2p")
    assert dialog.name.text() == "blog"
    dialog.name.setText("myblog")
    dialog.path.edit.setText("/tmp/other.w2p")
    assert dialog.answer() == (Path("/tmp/other.w2p"), "myblog", False)
    assert ok_enabled(dialog)


def test_every_field_has_a_label_with_a_buddy_or_an_accessible_name(qtbot):
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

    for dialog in (PasswordDialog(), NewApplicationDialog({"welcome": "the scaffold"}),
                   NewFileDialog("blog"), PackDialog("blog", Path("b.w2p")), InstallDialog()):
        qtbot.addWidget(dialog)
        buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
        fields = [field for kind in (QLineEdit, QComboBox, QCheckBox)
                  for field in dialog.findChildren(kind)]
        assert fields
        for field in fields:
            labelled = field in buddies or field.parent() in buddies  # a path field's line edit
            assert labelled or isinstance(field, QCheckBox), field
            assert field.accessibleName(), field


def answer_next_dialog(fill) -> None:
    """When the next modal dialog opens, let ``fill(dialog)`` answer it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def answer():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, answer)
        else:
            fill(dialog)

    QTimer.singleShot(10, answer)


def test_real_dialogs_return_what_the_user_entered(qtbot):
    from PySide6.QtWidgets import QMessageBox, QWidget


    parent = QWidget()
    qtbot.addWidget(parent)
    ask = Ask(parent)

    answer_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    assert ask.confirm("Delete", "Delete blog?") is True

    def type_name(dialog):
        dialog.setTextValue("  blog  ")
        dialog.accept()

    answer_next_dialog(type_name)
    assert ask.text("New application", "Name:") == "blog"

    def choose_password(dialog):
        dialog.first.setText("pw")
        dialog.second.setText("pw")
        dialog.accept()

    answer_next_dialog(choose_password)
    assert ask.new_password() == "pw"

    answer_next_dialog(lambda dialog: dialog.reject())
    assert ask.install_options() is None


# ----- the real modal dialogs, answered as a user would ---------------------------------------

def click(button):
    """A responder that presses the message box's ``button`` (a StandardButton)."""
    return lambda box: box.button(button).click()


def test_ask_error_shows_a_real_warning_box(qtbot):


    with ModalAnswer(click(QMessageBox.StandardButton.Ok)) as answered:
        Ask().error("Server", "Port 8000 is in use.")
    assert (answered.kind, answered.title, answered.text, answered.icon) == (
        QMessageBox, "Server", "Port 8000 is in use.", QMessageBox.Icon.Warning)


@pytest.mark.parametrize(("button", "expected"), [("Yes", True), ("No", False)])
def test_ask_confirm_answers_what_the_user_clicked(qtbot, button, expected):


    with ModalAnswer(click(getattr(QMessageBox.StandardButton, button))) as answered:
        assert Ask().confirm("Delete", "Delete blog?") is expected
    assert (answered.title, answered.text) == ("Delete", "Delete blog?")


def test_browse_opens_a_real_file_chooser_and_takes_its_choice(qtbot, tmp_path):
    archive = tmp_path / "web2py.app.shop.w2p"
    archive.write_bytes(b"not really a tar")

    def choose(dialog):
        # Typed, as a user does: selectFile() leaves the name field alone once it has focus,
        # which it gets a moment after the dialog opens, so it chose nothing under load.
        assert isinstance(dialog, QFileDialog)
        dialog.findChild(QLineEdit, "fileNameEdit").setText(str(archive))
        dialog.accept()

    dialog = InstallDialog()
    qtbot.addWidget(dialog)
    (browse,) = [b for b in dialog.findChildren(QPushButton) if b.text() == "&Browse…"]
    with ModalAnswer(choose) as answered:
        browse.click()
    assert (answered.kind, answered.title) == (QFileDialog, "Install archive")
    assert dialog.path.edit.text() == str(archive)
    assert dialog.name.text() == "shop"


# ----- a refused answer keeps the dialog open; closed dialogs are destroyed -------------------

def taken(answer):
    return "an application named 'blog' already exists" if answer[0] == "blog" else None


def test_a_refused_name_is_shown_in_the_dialog_which_stays_open(qtbot):
    dialog = NewApplicationDialog({"welcome": "the scaffold"}, check=taken)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("blog")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert "already exists" in dialog.problem.text()
    assert "already exists" in dialog.problem.accessibleName()
    assert dialog.name.text() == "blog"  # what was typed is kept
    dialog.name.setText("blog2")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted


def test_install_refuses_a_taken_name_in_place_and_suggests_a_free_one(qtbot):
    dialog = InstallDialog(check=lambda answer: taken(answer[1:]),
                           suggest_name=lambda stem: f"{stem}_2")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.edit.setText("/tmp/web2py.app.welcome.w2p")
    assert dialog.name.text() == "welcome_2"
    dialog.name.setText("blog")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "already exists" in dialog.problem.text()


def test_closed_dialogs_are_destroyed(qtbot):
    from PySide6.QtWidgets import QDialog, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    ask = Ask(parent)
    for question in (lambda: ask.new_application({"welcome": "the scaffold"}),
                     lambda: ask.new_file("blog"), ask.new_password, ask.install_options,
                     lambda: ask.pack_options("blog", Path("b.w2p"))):
        with ModalAnswer(lambda dialog: dialog.reject()):
            assert question() is None
    qtbot.waitUntil(lambda: not parent.findChildren(QDialog))


def test_the_real_new_application_dialog_answers_only_once_the_name_is_free(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)

    def type_taken_then_free(dialog):
        dialog.name.setText("blog")
        dialog.accept()
        assert dialog.isVisible() and "already exists" in dialog.problem.text()
        dialog.name.setText("notes")
        dialog.accept()

    with ModalAnswer(type_taken_then_free):
        answer = Ask(parent).new_application({"welcome": "the scaffold"}, check=taken)
    assert answer == ("notes", "welcome")
