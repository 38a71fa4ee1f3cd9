"""web2py's ``gluon.fileutils``: file helpers, version strings, ``.w2p`` packing, credentials."""

from server.toolkit.fileutils import (
    abspath,
    check_credentials,
    cleanpath,
    create_app,
    create_missing_app_folders,
    listdir,
    mktree,
    open_file,
    parse_version,
    read_file,
    readlines_file,
    recursive_unlink,
    up,
    w2p_pack,
    w2p_unpack,
    write_file,
)

__all__ = [
    "abspath", "check_credentials", "cleanpath", "create_app", "create_missing_app_folders",
    "listdir", "mktree", "open_file", "parse_version", "read_file", "readlines_file",
    "recursive_unlink", "up", "w2p_pack", "w2p_unpack", "write_file",
]
