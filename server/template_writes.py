"""A view's own text written straight to ``response.body``, not through ``response.write``.

yatl turns every piece of a template's text into ``response.write('<tr><td>', escape=False)``;
a page of 20 rows makes some 80 of those calls, each a Python call of ``Response.write`` that
only ends in ``response.body.write(text)``. :func:`direct_text_writes` rewrites those calls in
the compiled program to ``response.body.write(text)`` (same lines, so tickets still name the
template's line), and :func:`writes_as_ours` tells when that is the same thing: while the
request's ``response.write`` is Pocketweb's own. An app that replaced it (``response.write =
...``) gets the program as yatl wrote it. Values (``{{=x}}``) always go through
``response.write``, which escapes them.
"""

from __future__ import annotations

import ast
from typing import Any, cast

from server.response import Response


class _TextWrites(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if not _is_text_write(node):
            return node
        func = cast(ast.Attribute, node.func)  # _is_text_write checked it
        body = ast.Attribute(value=func.value, attr="body", ctx=ast.Load())
        call = ast.Call(func=ast.Attribute(value=body, attr="write", ctx=ast.Load()),
                        args=node.args, keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, node))


def _is_text_write(node: ast.Call) -> bool:
    """``response.write('text', escape=False)``: a str constant, written unescaped."""
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr == "write" \
        and isinstance(func.value, ast.Name) and func.value.id == "response" \
        and len(node.args) == 1 and isinstance(node.args[0], ast.Constant) \
        and type(node.args[0].value) is str \
        and len(node.keywords) == 1 and node.keywords[0].arg == "escape" \
        and isinstance(node.keywords[0].value, ast.Constant) \
        and node.keywords[0].value.value is False


def direct_text_writes(program: str) -> ast.Module:
    """``program`` (a view's Python, as yatl made it) with its text writes made direct."""
    return _TextWrites().visit(ast.parse(program))


def writes_as_ours(response: Any) -> bool:
    """``response.write(text, escape=False)`` is ``response.body.write(text)`` for this one."""
    return getattr(type(response), "write", None) is Response.write \
        and "write" not in getattr(response, "__dict__", {})
