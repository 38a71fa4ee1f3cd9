"""server.toolkit.crypto: tokens only the key holder reads, safe unpickling."""

import pickle

from server.storage import Storage
from server.toolkit.crypto import secure_dumps, secure_loads


class Custom:
    def __init__(self, value):
        self.value = value


def test_hash_key_signs_separately():
    token = secure_dumps([1, 2], "enc", hash_key="sign")
    assert secure_loads(token, "enc", hash_key="sign") == [1, 2]
    assert secure_loads(token, "enc") is None


def test_only_plain_data_and_allowed_classes_unpickle():
    token = secure_dumps(Custom(3), "k")
    assert secure_loads(token, "k") is None
    assert secure_loads(token, "k", allowed_classes=[Custom]).value == 3
    assert secure_loads(secure_dumps(Storage(a=1), "k"), "k") == {"a": 1}


def test_garbage_reads_as_none():
    assert secure_loads(b"no colon here", "k") is None
    assert secure_loads("abc:def", "k") is None
    assert pickle.loads(pickle.dumps(Storage(a=1))).a == 1
