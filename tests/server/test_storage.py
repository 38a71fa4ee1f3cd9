"""Storage and List: web2py's forgiving containers."""

import pickle

import pytest

from server.http import HTTP
from server.storage import List, Storage


def test_storage_attribute_access_and_missing_is_none():
    s = Storage(a=1)
    s.b = 2
    assert (s.a, s["b"], s.missing) == (1, 2, None)
    assert s["missing"] is None and "missing" not in s  # web2py's Storage: [] is .get too
    del s.a
    assert "a" not in s
    assert pickle.loads(pickle.dumps(s)) == {"b": 2}


def test_storage_getlist_first_last():
    s = Storage(one="x", many=["a", "b"])
    assert s.getlist("one") == ["x"] and s.getlist("none") == []
    assert s.getfirst("many") == "a" and s.getlast("many") == "b"


def test_list_call_with_default_cast_and_otherwise():
    args = List(["3", "x"])
    assert args(0) == "3" and args(5) is None and args(5, default=9) == 9
    assert args(0, cast=int) == 3
    assert args(1, cast=int, otherwise=-1) == -1
    with pytest.raises(HTTP) as caught:
        args(1, cast=int)
    assert caught.value.status == 404


def test_attribute_mapping_gives_an_object_storage_manners():
    from server.storage import AttributeMapping

    class Thing(AttributeMapping):
        def __init__(self):
            self.name = "x"
            self._hidden = 1

    thing = Thing()
    assert thing.unknown is None and "%(name)s" % thing == "x"  # noqa: UP031 - as apps write it
    assert thing.keys() == ["name"] and thing.items() == [("name", "x")] and "name" in thing
    thing["size"] = 3
    assert thing.size == 3 and thing.get("nope", 0) == 0 and thing.values() == ["x", 3]
    del thing["size"]
    assert thing["size"] is None and thing.get("size", 4) == 4  # web2py's Storage: [] is .get
    assert list(thing) == ["name"] and dict(thing) == {"name": "x"}
    with pytest.raises(KeyError):
        del thing["size"]
    with pytest.raises(AttributeError):
        thing.__missing_dunder__  # noqa: B018


def test_a_lazy_attribute_is_built_once_on_first_read_and_listed_with_the_others():
    from server.storage import AttributeMapping, lazy_attribute

    builds = []

    class Thing(AttributeMapping):
        def __init__(self):
            self.name = "x"

        @lazy_attribute
        def parts(self):
            builds.append(1)
            return [self.name]

    thing = Thing()
    assert builds == [] and thing.parts == ["x"] and thing.parts is thing.parts
    assert builds == [1]
    assert Thing().keys() == ["name", "parts"] and builds == [1, 1]  # listing builds it
    chosen = Thing()
    chosen.parts = ["mine"]  # set before any read: never built
    assert chosen.parts == ["mine"] and chosen["parts"] == ["mine"] and builds == [1, 1]
