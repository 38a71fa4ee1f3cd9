"""Putting the framework on the air: the cheroot server, the command line, the portable root
folder, the admin password and the self-test. The desktop starts and stops servers through here."""

from server.options import ServerOptions

__all__ = ["ServerOptions"]
