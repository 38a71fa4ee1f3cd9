"""gluon.storage: web2py's Storage family."""

import pickle

import pytest

from gluon.storage import (
    FastStorage,
    List,
    Messages,
    Settings,
    Storage,
    StorageList,
    load_storage,
    pickle_storage,
    save_storage,
)


def test_storage_missing_attribute_is_none_and_getlist():
    s = Storage(a=1, b=[1, 2])
    assert s.a == 1 and s.missing is None and s["a"] == 1
    assert s.getlist("a") == [1] and s.getfirst("b") == 1 and s.getlast("b") == 2
    assert s.getlist("missing") == []


def test_storagelist_missing_key_is_a_kept_empty_list():
    s = StorageList()
    assert s.anything == [] and s["other"] == []
    s.items_.append(1)
    assert s.items_ == [1] and s["items_"] == [1]


def test_settings_lock_keys_and_values():
    s = Settings()
    s.a = 1
    s.lock_keys = True
    s.a = 2
    with pytest.raises(SyntaxError):
        s.b = 1
    s.lock_values = True
    with pytest.raises(SyntaxError):
        s.a = 3


def test_messages_translate_strings():
    m = Messages(lambda text: f"T({text})")
    m.welcome = "Welcome"
    m.count = 3
    assert m.welcome == "T(Welcome)" and m.count == 3


def test_fast_storage_and_list():
    f = FastStorage(a=1)
    assert f.a == 1 and f.b is None and f.copy() == {"a": 1}
    args = List(["x", "7"])
    assert args(0) == "x" and args(5) is None and args(1, cast=int) == 7


def test_pickling_and_files(tmp_path):
    assert pickle_storage(Storage(a=1)) == (Storage, ({"a": 1},))
    assert pickle.loads(pickle.dumps(Storage(a=1))) == {"a": 1}
    save_storage(Storage(x=2), str(tmp_path / "s.pkl"))
    assert load_storage(str(tmp_path / "s.pkl")).x == 2
