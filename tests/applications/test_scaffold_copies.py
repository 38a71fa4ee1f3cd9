"""Each example is a whole app (it packs, installs and runs on its own), so it carries its own
copy of the welcome scaffold's layout, stylesheet and script. They must stay the scaffold's:
a fix made to welcome (the phone width, say) is made to every example too."""

from __future__ import annotations

import pytest

from server.manage.apps import STARTING_POINTS
from server.paths import SOURCE_ROOT

APPS = SOURCE_ROOT / "applications"
SHARED = ("views/layout.html", "views/generic.html", "static/css/pocketweb.css",
          "static/js/pocketweb.js", "static/images/favicon.svg")


@pytest.mark.parametrize("example", [name for name in STARTING_POINTS if name != "welcome"])
def test_an_examples_shared_files_are_the_scaffolds(example):
    for relative in SHARED:
        assert (APPS / example / relative).read_bytes() == (APPS / "welcome" / relative).read_bytes(), \
            f"{example}/{relative} differs from welcome's: copy welcome's over it"
