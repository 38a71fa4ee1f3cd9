"""Typed queries for the database browser: ``db.person.name.startswith('A') & (db.person.id
> 5)`` is parsed with ``ast`` and interpreted over a small whitelist (user text never reaches
``eval``); quick filters and their combination."""

from __future__ import annotations

import ast

from pydal import DAL
from pydal.objects import Expression, Query, Table

from server.manage.dbvalues import JSON_TYPES, TEXT_TYPES, as_text, parse_by_type

MAX_QUERY_LENGTH = 4000
FIELD_METHODS = frozenset({
    "startswith", "endswith", "contains", "belongs", "like", "ilike",
    "lower", "upper", "year", "month", "day",
})
ALLOWED_KEYWORDS = frozenset({"case_sensitive", "all"})
COMPARISONS = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
BINARY_OPERATORS = {
    ast.BitAnd: lambda a, b: a & b,
    ast.BitOr: lambda a, b: a | b,
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}

class QueryError(ValueError):
    """The typed query text is not a query this browser accepts."""


def parse_query(db: DAL, text: str) -> Query | None:
    """Turn typed text into a DAL ``Query``; empty text means "all rows" (None).

    Allowed: ``db``, table names, ``db.table``/``db['table']``, fields, comparisons, ``&``
    ``|`` ``~``, arithmetic on fields, literals, and the field methods in ``FIELD_METHODS``.
    """
    text = (text or "").strip()
    if not text:
        return None
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Query is longer than {MAX_QUERY_LENGTH} characters.")
    try:
        tree = ast.parse(text, mode="eval")
        result = _QueryInterpreter(db).visit(tree.body)
    except SyntaxError as error:
        raise QueryError(f"Syntax error: {error.msg} (column {error.offset}).") from None
    except (RecursionError, MemoryError):
        raise QueryError("Query is nested too deeply.") from None
    except QueryError:
        raise
    except Exception as error:  # the DAL refuses an operand combination
        raise QueryError(f"Invalid query: {error}") from None
    if not isinstance(result, Query):
        raise QueryError("The text is not a query; compare a field, e.g. db.person.id > 0.")
    return result


class _QueryInterpreter(ast.NodeVisitor):
    """Evaluates the whitelisted subset of Python that DAL queries are written in."""

    def __init__(self, db: DAL):
        self.db = db

    def generic_visit(self, node):
        raise QueryError(f"Not allowed in a query: {type(node).__name__}.")

    def visit_Constant(self, node):
        if not isinstance(node.value, (str, int, float, bool, type(None))):
            raise QueryError("Only text, numbers, True, False and None are allowed as literals.")
        return node.value

    def visit_List(self, node):
        return [self._literal(item) for item in node.elts]

    visit_Tuple = visit_List

    def _literal(self, node):
        value = self.visit(node)
        if isinstance(value, (Expression, Query, Table, DAL)):
            raise QueryError("Lists may only hold literal values.")
        return value

    def visit_Name(self, node):
        if node.id == "db":
            return self.db
        if node.id in self.db.tables:
            return self.db[node.id]
        raise QueryError(f"Unknown name {node.id!r}; start with db or a table name.")

    def visit_Attribute(self, node):
        return self._member(self.visit(node.value), node.attr)

    def visit_Subscript(self, node):
        key = node.slice
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            raise QueryError("Use db['table'] or table['field'] with a quoted name.")
        return self._member(self.visit(node.value), key.value)

    def _member(self, owner, name: str):
        if name.startswith("_"):
            raise QueryError(f"Access to {name!r} is not allowed.")
        if isinstance(owner, DAL):
            if name not in owner.tables:
                raise QueryError(f"No table {name!r} in this database.")
            return owner[name]
        if isinstance(owner, Table):
            if name not in owner.fields:
                raise QueryError(f"Table {owner._tablename!r} has no field {name!r}.")
            return owner[name]
        raise QueryError(f"{name!r} is not a table or field here.")

    def visit_Call(self, node):
        function = node.func
        if not isinstance(function, ast.Attribute) or function.attr not in FIELD_METHODS:
            allowed = ", ".join(sorted(FIELD_METHODS))
            raise QueryError(f"Only these field methods may be called: {allowed}.")
        target = self.visit(function.value)
        if not isinstance(target, Expression):
            raise QueryError(f"{function.attr}() must be called on a field.")
        arguments = [self._literal(argument) for argument in node.args]
        keywords = {}
        for keyword in node.keywords:
            if keyword.arg not in ALLOWED_KEYWORDS:
                raise QueryError(f"Keyword argument {keyword.arg!r} is not allowed.")
            keywords[keyword.arg] = self._literal(keyword.value)
        return getattr(target, function.attr)(*arguments, **keywords)

    def visit_Compare(self, node):
        parts = []
        left = self.visit(node.left)
        for operator, right_node in zip(node.ops, node.comparators, strict=True):
            compare = COMPARISONS.get(type(operator))
            if compare is None:
                raise QueryError(f"Comparison {type(operator).__name__} is not allowed.")
            right = self.visit(right_node)
            if not isinstance(left, Expression):
                raise QueryError("The left side of a comparison must be a field.")
            parts.append(compare(left, right))
            left = right
        return combine(*parts)

    def visit_BinOp(self, node):
        combine = BINARY_OPERATORS.get(type(node.op))
        if combine is None:
            raise QueryError(f"Operator {type(node.op).__name__} is not allowed.")
        left, right = self.visit(node.left), self.visit(node.right)
        if not isinstance(left, (Expression, Query)):
            raise QueryError("Operators need a field or query on their left.")
        return combine(left, right)

    def visit_UnaryOp(self, node):
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Invert) and isinstance(operand, Query):
            return ~operand
        if isinstance(node.op, ast.USub) and isinstance(operand, (int, float)):
            return -operand
        raise QueryError("Only ~query and negative numbers are allowed as unary operators.")


def quick_filter(table: Table, field_name: str, text: str) -> Query | None:
    """The query behind a column's quick-filter box: "contains" for text, "equals" otherwise."""
    text = text.strip()
    if not text:
        return None
    target = table[field_name]
    kind = str(target.type)
    if kind in JSON_TYPES:
        return as_text(target).contains(text, case_sensitive=False)
    if kind in TEXT_TYPES or kind.startswith("list:"):
        return target.contains(text, case_sensitive=False)
    try:
        value = parse_by_type(kind, text)
    except ValueError:
        raise QueryError(f"{text!r} is not a valid {kind} for {field_name}.") from None
    return target == value


def combine(*queries: Query | None) -> Query | None:
    """AND together the queries that are present (None means no condition)."""
    present = [query for query in queries if query is not None]
    if not present:
        return None
    result = present[0]
    for query in present[1:]:
        result = result & query
    return result
