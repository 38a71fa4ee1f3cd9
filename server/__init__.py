"""Pocketweb's framework: web2py's application API served by cheroot."""

__version__ = "0.1.0"
