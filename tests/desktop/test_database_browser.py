"""DatabaseBrowser: the surface the main window embeds."""

from desktop.database_browser import DatabaseBrowser


def test_set_application_names_the_app(qtbot, root):
    view = DatabaseBrowser(root)
    qtbot.addWidget(view)
    view.set_application("welcome")
    assert "welcome" in view.status_label.text()
    view.set_application(None)
    assert "No application" in view.status_label.text()
