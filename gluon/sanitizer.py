"""web2py's ``gluon.sanitizer``: yatl's ``sanitize(text, permitted_tags, allowed_attributes)``."""

from yatl.sanitizer import sanitize

__all__ = ["sanitize"]
