"""Auth, access control decorators and Mail with web2py's API."""

__all__: list[str] = []
