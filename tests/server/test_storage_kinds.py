"""server.storage_kinds: details the gluon tests do not cover."""

from server.storage_kinds import Messages, StorageList


def test_dunder_lookups_stay_errors_so_copy_and_pickle_work():
    import copy

    s = StorageList(a=[1])
    assert copy.deepcopy(s) == {"a": [1]}
    assert not hasattr(s, "__missing_dunder__")


def test_messages_without_translator_return_plain_values():
    m = Messages()
    m.hi = "hi"
    assert m.hi == "hi"
