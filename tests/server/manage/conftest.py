"""Fixtures of the app-management tests."""

import pytest
from support import SCAFFOLD_FILES, write_app


@pytest.fixture
def scaffolded(root):
    """A root whose welcome app (the scaffold) holds sources and runtime data."""
    write_app(root, "welcome", SCAFFOLD_FILES)
    return root
