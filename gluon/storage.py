"""web2py's ``gluon.storage``."""

from server.storage import List, Storage
from server.storage_kinds import (
    FastStorage,
    Messages,
    Settings,
    StorageList,
    load_storage,
    pickle_storage,
    save_storage,
)

__all__ = [
    "FastStorage", "List", "Messages", "Settings", "Storage", "StorageList", "load_storage",
    "pickle_storage", "save_storage",
]
