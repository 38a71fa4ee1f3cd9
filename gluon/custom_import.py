"""web2py's ``gluon.custom_import``: the app-first importer."""

from server.custom_import import (
    custom_import_install,
    custom_importer,
    is_tracking_changes,
    track_changes,
)

__all__ = ["custom_import_install", "custom_importer", "is_tracking_changes", "track_changes"]
