from pydal import DAL, Field

from desktop.tables_tree import STORED_SUFFIX, TablesTree


def test_model_tables_with_fields_then_stored_tables_read_only(qtbot, tmp_path):
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    db.define_table("person", Field("name"))
    db.executesql("CREATE TABLE legacy (code TEXT)")
    tree = TablesTree()
    qtbot.addWidget(tree)
    chosen = []
    tree.tableChosen.connect(lambda name, stored: chosen.append((name, stored)))
    assert tree.show_database(db) == ""
    texts = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert texts == ["person", "legacy" + STORED_SUFFIX]
    tree.setCurrentItem(tree.topLevelItem(0).child(1))  # a field: its table is chosen
    tree.select_table("legacy", True)
    assert chosen == [("person", False), ("legacy", True)]
    db.close()
