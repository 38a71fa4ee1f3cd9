"""gluon.contrib.pyrtf: importing it is a clear ImportError (no maintained RTF writer)."""

import pytest


def test_import_explains_why():
    with pytest.raises(ImportError, match="no maintained library"):
        import gluon.contrib.pyrtf  # noqa: F401
