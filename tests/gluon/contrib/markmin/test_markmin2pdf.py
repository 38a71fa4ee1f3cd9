"""gluon.contrib.markmin.markmin2pdf and markmin2latex: clear ImportErrors."""

import pytest


@pytest.mark.parametrize("module", ["markmin2pdf", "markmin2latex"])
def test_import_explains_why(module):
    with pytest.raises(ImportError, match="not available in Pocketweb"):
        __import__(f"gluon.contrib.markmin.{module}")
