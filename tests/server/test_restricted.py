"""server.restricted: a code object runs too; the error keeps the traceback text."""

import pytest

from server.restricted import RestrictedError, restricted


def test_code_objects_and_traceback_text():
    environment = {}
    restricted(compile("x = 1", "m.py", "exec"), environment)
    assert environment["x"] == 1
    with pytest.raises(RestrictedError) as caught:
        restricted("raise KeyError('k')", {}, layer="m.py")
    assert "KeyError" in caught.value.traceback and str(caught.value).startswith("KeyError")
