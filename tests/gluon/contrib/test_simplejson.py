"""gluon.contrib.simplejson is json under its old name."""

from gluon.contrib import simplejson


def test_round_trip():
    assert simplejson.loads(simplejson.dumps({"a": [1, None]})) == {"a": [1, None]}
    assert issubclass(simplejson.JSONDecodeError, ValueError)
