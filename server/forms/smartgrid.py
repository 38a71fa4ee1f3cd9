"""SQLFORM.smartgrid: a grid of a table with links into the tables that reference it, and
breadcrumbs back up (``.../<table>/<child>.<field>/<id>`` lists one record's children)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yatl.helpers import TAGGER

from server.current import current
from server.forms.grid import Grid
from server.helpers import DIV, A
from server.http import HTTP
from server.routing import URL

if TYPE_CHECKING:
    from pydal.objects import Table


def smartgrid(table: Table, constraints: dict | None = None,
              linked_tables: list[str] | dict | None = None, links: list | None = None,
              links_in_grid: bool = True, args: list | None = None, user_signature: bool = True,
              divider: str = " > ", breadcrumbs_class: str = "", **options: Any) -> TAGGER:
    """web2py's ``SQLFORM.smartgrid``: a grid of ``table`` with links into the tables that
    reference it. ``.../<table>/<child>.<field>/<id>`` shows the children of one record; forms
    there fill the reference with the parent id and do not let the user change it.
    """
    request = current.request
    base = [str(a) for a in args or []]
    rest = list(request.args[len(base):]) or [table._tablename]
    if rest[0] != table._tablename:
        raise HTTP(404, "unknown table")
    crumbs = [A(table._tablename.replace("_", " ").title(), _href=_url([*base, rest[0]]))]
    query, current_table, used = _smartgrid_query(table, rest, constraints, crumbs, base)
    grid_args = [*base, *rest[:used]]
    grid_links = list(links or []) + _child_links(current_table, grid_args, linked_tables)
    grid_div = Grid(query, args=grid_args, user_signature=user_signature, links=grid_links,
                    **options).render()
    breadcrumbs = DIV(*_joined(crumbs, divider), _class=f"w2p_breadcrumbs {breadcrumbs_class}",
                      **{"_aria-label": "Breadcrumb"})
    page = DIV(breadcrumbs, grid_div, _class="web2py_smartgrid")
    for name in ("rows", "create_form", "update_form", "view_form"):
        if hasattr(grid_div, name):
            setattr(page, name, getattr(grid_div, name))
    return page


def _smartgrid_query(table, rest, constraints, crumbs, base):
    """Follow ``<child>.<field>/<id>`` pairs after the table name; returns the query to show."""
    db = table._db
    current_table, used = table, 1
    query = (constraints or {}).get(table._tablename, table._id > 0)
    while len(rest) >= used + 2 and "." in rest[used]:
        child_name, field_name = rest[used].split(".", 1)
        parent_id = rest[used + 1]
        child = db.get(child_name) if child_name in db.tables else None
        if child is None or field_name not in child.fields or not parent_id.isdigit():
            raise HTTP(404, "unknown link")
        field = child[field_name]
        if not field.type.startswith("reference") or \
                field.type[10:].split(".")[0] != current_table._tablename:
            raise HTTP(404, "unknown link")
        if db(query)(current_table._id == int(parent_id)).count() == 0:
            raise HTTP(404, "record not found")
        field.default, field.writable = int(parent_id), False
        query = (field == int(parent_id))
        if constraints and child_name in constraints:
            query &= constraints[child_name]
        used += 2
        crumbs.append(A(f"{child_name} ({parent_id})", _href=_url([*base, *rest[:used]])))
        current_table = child
    return query, current_table, used


def _child_links(table, prefix, linked_tables):
    links = []
    for field in getattr(table, "_referenced_by", []):
        if linked_tables is not None and field.tablename not in linked_tables:
            continue
        links.append(_child_link(field, prefix, table))
    return links


def _child_link(field, prefix, table):
    def body(row):
        record_id = row[str(table._id)]
        return A(field.table._tablename.replace("_", " ").title(),
                 _href=_url([*prefix, f"{field.tablename}.{field.name}", record_id]))

    return dict(header=field.tablename.replace("_", " ").title(), body=body)


def _url(args):
    return URL(args=args)


def _joined(items, divider):
    result = []
    for index, item in enumerate(items):
        if index:
            result.append(divider)
        result.append(item)
    return result
