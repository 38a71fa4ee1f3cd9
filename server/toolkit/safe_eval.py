"""Evaluating a query a user typed (appadmin's ``db.person.name.like('A%')``) without letting it
do anything else: the expression's syntax tree is checked before it runs, with no builtins.

Allowed: names the caller lists, attribute reads that are not private, constants, tuples and
lists, comparisons, ``&``/``|``/``~``, arithmetic, and calls of a fixed set of DAL methods on
fields (``belongs``, ``like``, ``contains`` ...) or ``db(...)``/``db._select(...)`` on a listed
name. Everything else (comprehensions, lambdas, subscripts, dunders) is a ``ValueError``.
"""

from __future__ import annotations

import ast
from typing import Any

FIELD_METHODS = frozenset({
    "belongs", "like", "ilike", "startswith", "endswith", "contains", "upper", "lower",
    "year", "month", "day", "hour", "minutes", "seconds", "regexp", "count", "sum", "min",
    "max", "avg", "len", "with_alias", "cast", "coalesce", "coalesce_zero",
})
SET_METHODS = frozenset({"_select"})
ALLOWED_NODES = (
    ast.Expression, ast.Name, ast.Load, ast.Attribute, ast.Constant, ast.Tuple, ast.List,
    ast.Compare, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Call, ast.keyword,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.And, ast.Or, ast.BitAnd,
    ast.BitOr, ast.Invert, ast.Not, ast.USub, ast.UAdd, ast.Add, ast.Sub, ast.Mult, ast.Div,
    ast.Mod,
)


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call)):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _check_call(node: ast.Call, allowed: set[str]) -> None:
    func = node.func
    if isinstance(func, ast.Name):
        if func.id not in allowed:
            raise ValueError(f"calling {func.id!r} is not allowed")
        return
    if not isinstance(func, ast.Attribute):
        raise ValueError("only method calls on allowed names are allowed")
    if func.attr in FIELD_METHODS or (func.attr in SET_METHODS and _root_name(func) in allowed):
        return
    raise ValueError(f"calling .{func.attr}() is not allowed")


def check_expression(tree: ast.AST, allowed: set[str]) -> None:
    """Raise ValueError unless every node of ``tree`` is one this module allows."""
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            raise ValueError(f"{type(node).__name__} is not allowed in an expression")
        if isinstance(node, ast.Name) and node.id not in allowed:
            raise ValueError(f"name {node.id!r} is not allowed")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and node.attr not in SET_METHODS:
            raise ValueError(f"attribute {node.attr!r} is not allowed")
        if isinstance(node, ast.Call):
            _check_call(node, allowed)


def safe_eval_expression(text: str, allowed_names: dict | None = None) -> Any:
    """Evaluate ``text`` with only ``allowed_names`` (a dict of values, or names) in scope."""
    namespace = dict(allowed_names) if isinstance(allowed_names, dict) else {}
    allowed = set(allowed_names or ())
    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"not an expression: {exc.msg}") from exc
    check_expression(tree, allowed)
    try:
        return eval(compile(tree, "<expression>", "eval"), {"__builtins__": {}}, namespace)  # noqa: S307
    except Exception as exc:  # the user's expression failed: say so, never a traceback
        raise ValueError(f"the expression failed: {exc}") from exc


def safe_eval_dict(text: str) -> dict:
    """``'a="x, y", b=1'`` as ``{'a': 'x, y', 'b': 1}``; values that are not literals are kept
    as their source text; anything unparsable is ``{}``."""
    if not text:
        return {}
    source = f"f({text})"
    try:
        call = ast.parse(source, mode="eval").body
    except SyntaxError:
        return {}
    if not isinstance(call, ast.Call):
        return {}
    result = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        try:
            result[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            result[keyword.arg] = ast.get_source_segment(source, keyword.value)
    return result
