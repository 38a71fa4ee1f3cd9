"""server.shell_environment: exec_environment needs a request to build on."""

import pytest

from server.current import current
from server.shell_environment import exec_environment


def test_without_a_request_it_says_so():
    vars(current).pop("request", None)
    with pytest.raises(RuntimeError, match="needs a request"):
        exec_environment()
