"""web2py's ``gluon.admin``: ``apath`` and the ``app_*`` management functions."""

from server.app_admin import (
    apath,
    app_cleanup,
    app_compile,
    app_create,
    app_install,
    app_pack,
    app_pack_compiled,
    app_uninstall,
)

__all__ = ["app_cleanup", "app_compile", "app_create", "app_install", "app_pack",
           "app_pack_compiled", "app_uninstall", "apath"]
