from desktop.status_label import StatusLabel


def test_screen_readers_read_what_the_label_shows(qtbot):
    label = StatusLabel("Row count")
    qtbot.addWidget(label)
    assert label.accessibleName() == "Row count"
    label.setText("1,000,000 rows")
    assert label.accessibleName() == "Row count: 1,000,000 rows"
    label.clear()
    assert label.accessibleName() == "Row count" and label.text() == ""
