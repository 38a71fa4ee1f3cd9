"""web2py's ``gluon.template``: yatl's ``render``, ``parse_template`` and parser classes."""

from yatl.template import (
    NOESCAPE,
    BlockNode,
    Content,
    DummyResponse,
    Node,
    SuperNode,
    TemplateParser,
    parse_template,
    render,
)

__all__ = [
    "BlockNode", "Content", "DummyResponse", "NOESCAPE", "Node", "SuperNode", "TemplateParser",
    "parse_template", "render",
]
