"""server.app_admin: apath without a request is under the configured root."""

import os

from server.app_admin import apath
from server.settings import global_settings


def test_apath_defaults_to_the_roots_applications():
    assert apath("x") == os.path.join(global_settings.applications_parent, "applications", "x")
