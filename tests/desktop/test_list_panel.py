"""The shared list-over-details layout: named controls, selection reported."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTreeWidgetItem, QWidget

from desktop.list_panel import build_list_panel


def test_layout_names_its_parts_and_reports_the_chosen_item(qtbot):
    panel = QWidget()
    qtbot.addWidget(panel)
    chosen = []
    details = QLabel("details")
    status, items = build_list_panel(panel, "Things", ["Name", "Size"],
                                     lambda current, _previous: chosen.append(current),
                                     lambda: details, QHBoxLayout)
    assert status.accessibleName() == "Things status"
    assert items.accessibleName() == "Things" and items.columnCount() == 2
    item = QTreeWidgetItem(["a", "1"])
    items.addTopLevelItem(item)
    items.setCurrentItem(item)
    assert chosen == [item]
    assert details.parent() is not None


def test_tab_goes_from_the_list_to_its_details_to_the_buttons(qtbot):
    from PySide6.QtWidgets import QPushButton, QTreeWidget

    panel = QWidget()
    qtbot.addWidget(panel)
    details, button = QTreeWidget(), QPushButton("Go")

    def buttons():
        row = QHBoxLayout()
        row.addWidget(button)
        return row

    _status, items = build_list_panel(panel, "Things", ["Name"], lambda *_: None,
                                      lambda: details, buttons)
    chain, widget = [], items
    while len(chain) < 3:
        widget = widget.nextInFocusChain()
        if widget.focusPolicy() != widget.focusPolicy().NoFocus and widget.parent() is not None:
            chain.append(widget)
    assert chain[:2] == [details, button]
