"""Forms, SQLFORM, grids and CRUD with web2py's API (see the forms issue)."""

__all__: list[str] = []
