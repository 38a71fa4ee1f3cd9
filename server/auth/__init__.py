"""Auth, access control decorators and Mail with web2py's API."""

from server.auth.auth import Auth
from server.auth.mail import Mail

__all__ = ["Auth", "Mail"]
