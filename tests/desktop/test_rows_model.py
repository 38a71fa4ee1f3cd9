import pytest
from pydal import DAL, Field
from PySide6.QtCore import Qt

from desktop.rows_model import MAX_BLOCKS, PENDING_TEXT, RowsModel


@pytest.fixture
def numbers(tmp_path):
    db = DAL("sqlite://n.sqlite", folder=str(tmp_path))
    db.define_table("n", Field("label"))
    db.executesql("INSERT INTO n(label) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL "
                  "SELECT i + 1 FROM s WHERE i < 5000) SELECT 'n' || i FROM s")
    db.commit()
    yield db
    db.close()


def test_rows_arrive_by_block_over_the_real_count(qtbot, numbers):
    model = RowsModel(numbers, numbers.n, page_size=100)
    assert model.rowCount() == 100  # the first block, until the count arrives
    qtbot.waitUntil(lambda: model.total == 5000)
    assert model.rowCount() == 5000
    assert model.index(4321, 1).data() == PENDING_TEXT
    with qtbot.waitSignal(model.blockLoaded):
        pass
    assert model.index(4321, 1).data() == "n4322"
    assert model.record_id(4321) == 4322


def test_memory_stays_bounded_and_sorting_starts_over(qtbot, numbers):
    model = RowsModel(numbers, numbers.n, page_size=10)
    qtbot.waitUntil(lambda: model.total == 5000)
    for block in range(0, 5000, 10 * 5)[: MAX_BLOCKS + 20]:
        model.request_block(block // 10)
    qtbot.waitUntil(lambda: not model._pending, timeout=20000)
    assert len(model.blocks) <= MAX_BLOCKS and 0 in model.blocks
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert list(model.blocks) == [0] and model.index(0, 1).data() == "n999"


def test_a_stored_table_is_never_written(qtbot, numbers):
    model = RowsModel(numbers, numbers.n, read_only=True)
    assert not model.editable
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 1), "changed")
    assert numbers.n[1].label == "n1"
