"""Pickles this server wrote are read back, or a default when damaged."""

from __future__ import annotations

import pickle

import pytest

from server.pickles import unpickled


def test_a_good_pickle_is_read_back():
    assert unpickled(pickle.dumps({"user": 1})) == {"user": 1}


@pytest.mark.parametrize("raw", [
    b"", b"garbage", pickle.dumps({"user": 1})[:-3],  # empty, not a pickle, truncated
    b"\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00\x8c\x08no.such\x94\x8c\x04Gone\x94\x93\x94.",
])
def test_damaged_pickles_give_the_default(raw):
    assert unpickled(raw) is None
    assert unpickled(raw, default={}) == {}
