"""The grid's export formats: web2py's ``ExporterCSV``, ``ExporterTSV``, ``ExporterHTML``, ...

Each class takes pydal ``Rows`` and turns them into one download: ``export()`` returns the text,
``file_ext``, ``content_type`` and ``label`` describe it. ``SQLFORM.grid(exportclasses=...)``
maps an ``_export_type`` name to such a class (or to ``(class, label, title)``, or to ``False``
to drop a format), as in web2py. CSV and TSV cells that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@`` ...) are written with a leading ``'`` so they stay text.
"""

from __future__ import annotations

import csv
import io
import re
from xml.sax.saxutils import escape, quoteattr

from pydal.helpers.classes import Reference
from pydal.helpers.methods import bar_encode
from pydal.objects import Row, Rows

from server.forms.sqltable import SQLTABLE

XML_NAME = re.compile(r"[A-Za-z_]\w*")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HTML_PAGE = ('<html>\n<head>\n<meta http-equiv="content-type" content="text/html; '
             'charset=UTF-8" />\n</head>\n<body>\n{}\n</body>\n</html>')


def csv_safe_cell(cell: str) -> str:
    """``cell`` with a ``'`` in front when a spreadsheet would read it as a formula; numbers
    such as ``-5`` are left alone, since they cannot be formulas."""
    if cell.startswith(FORMULA_PREFIXES):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def csv_safe_text(text: str | None, delimiter: str = ",") -> str | None:
    """CSV/TSV ``text`` re-written cell by cell through :func:`csv_safe_cell`."""
    if not text:
        return text
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        writer.writerow([csv_safe_cell(cell) for cell in row])
    return out.getvalue()


def _plain(value):
    """A cell value as web2py's exports write it: ``<NULL>``, ids, ``YYYY-MM-DD hh:mm:ss``."""
    if value is None:
        return "<NULL>"
    if isinstance(value, (list, tuple)):
        return bar_encode(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:19].replace("T", " ")
    return int(value) if isinstance(value, Reference) else value


class ExportClass:
    """The base of an export format: subclasses set the three names and write ``export()``."""

    label: str | None = None
    file_ext: str | None = None
    content_type: str | None = None

    def __init__(self, rows: Rows):
        self.rows = rows

    def represented(self) -> list[list]:
        """Every row as a list of shown values (each field's ``represent``, then plain)."""
        table = []
        for record in self.rows:
            table.append([_plain(self._shown(record, column)) for column in self.rows.colnames])
        return table

    def _shown(self, record, column):
        if "." not in column:
            return record._extra[column]
        tablename, fieldname = (name.strip('"') for name in column.split(".", 1))
        field = self.rows.db[tablename][fieldname]
        part = record.get(tablename)
        value = part[fieldname] if isinstance(part, (Row, dict)) else record[fieldname]
        if field.type == "blob" and value is not None:
            return ""
        return field.represent(value, record) if field.represent else value

    def export(self) -> str | None:
        raise NotImplementedError


class DelimitedExporter(ExportClass):
    """Rows as delimited text, one line per row after the column names; ``represent`` says
    whether values are shown as their fields' ``represent`` makes them."""

    delimiter, represent = ",", True

    def export(self) -> str | None:
        if not self.rows:
            return None
        out = io.StringIO()
        self.rows.export_to_csv_file(out, represent=self.represent, delimiter=self.delimiter)
        return csv_safe_text(out.getvalue(), delimiter=self.delimiter)


class ExporterCSV(DelimitedExporter):
    """Comma-separated, each value as its field's ``represent`` shows it."""

    label, file_ext, content_type = "CSV", "csv", "text/csv"


class ExporterCSV_hidden(ExportClass):  # noqa: N801 (web2py's name)
    """Comma-separated raw values, as pydal stores them (no ``represent``)."""

    label, file_ext, content_type = "CSV", "csv", "text/csv"

    def export(self) -> str:
        return (csv_safe_text(self.rows.as_csv()) or "") if self.rows else ""


class ExporterTSV(DelimitedExporter):
    """Tab-separated for spreadsheets, each value as its field's ``represent`` shows it."""

    label, file_ext, content_type = "TSV", "tsv", "text/tab-separated-values"
    delimiter = "\t"


class ExporterTSV_hidden(ExporterTSV):  # noqa: N801 (web2py's name)
    """Tab-separated raw values."""

    represent = False


class ExporterHTML(ExportClass):
    """A whole HTML page holding the rows as a SQLTABLE (values escaped, not truncated)."""

    label, file_ext, content_type = "HTML", "html", "text/html"

    def export(self) -> str:
        table = SQLTABLE(self.rows, truncate=None).xml() if self.rows else ""
        return HTML_PAGE.format(table)


class ExporterXML(ExportClass):
    """``<rows><row><field>value</field>...`` as pydal's ``Rows.as_xml()`` lays it out, with
    every value escaped (pydal writes them raw, so a ``<`` in the data broke the document)."""

    label, file_ext, content_type = "XML", "xml", "text/xml"

    def export(self) -> str:
        if not self.rows:
            return "<rows></rows>"
        body = "\n".join(_xml_element("row", record, "  ") for record in self.rows)
        return f"<rows>\n{body}\n</rows>"


def _xml_element(name: str, value, indent: str) -> str:
    if isinstance(value, Row):
        children = [_xml_element(key, item, indent + "  ") for key, item in value.items()
                    if isinstance(item, Row) or not callable(item)]
        return f"{indent}<{name}>\n" + "\n".join(children) + f"\n{indent}</{name}>"
    text = escape("" if value is None else str(value))
    if XML_NAME.fullmatch(name):
        return f"{indent}<{name}>{text}</{name}>"
    return f'{indent}<extra name={quoteattr(name)}>{text}</extra>'


class ExporterJSON(ExportClass):
    """pydal's ``Rows.as_json()``: a list of objects, one per row."""

    label, file_ext, content_type = "JSON", "json", "application/json"

    def export(self) -> str:
        return self.rows.as_json() if self.rows else "null"


# The grid's formats, under web2py's ``_export_type`` names: (class, link label, link title).
DEFAULT_EXPORTERS: dict[str, tuple[type[ExportClass], str, str]] = {
    "csv_with_hidden_cols": (ExporterCSV_hidden, "CSV (hidden cols)",
                             "CSV of every readable column, raw values"),
    "csv": (ExporterCSV, "CSV", "CSV of the columns shown, as shown"),
    "xml": (ExporterXML, "XML", "XML of the columns shown"),
    "html": (ExporterHTML, "HTML", "An HTML table of the columns shown"),
    "json": (ExporterJSON, "JSON", "JSON of the columns shown"),
    "tsv_with_hidden_cols": (ExporterTSV_hidden, "TSV (Spreadsheets, hidden cols)",
                             "Tab-separated, every readable column, raw values"),
    "tsv": (ExporterTSV, "TSV (Spreadsheets)", "Tab-separated, the columns shown, as shown"),
}


def export_choices(exportclasses: dict | None) -> dict[str, tuple[type, str, str]]:
    """The grid's formats with the app's ``exportclasses`` applied: a class or a
    ``(class, label[, title])`` adds or replaces a format, a false value removes it."""
    choices = dict(DEFAULT_EXPORTERS)
    for name, value in (exportclasses or {}).items():
        if not value:
            choices.pop(name, None)
        elif isinstance(value, (tuple, list)):
            label = value[1] if len(value) > 1 else name
            choices[name] = (value[0], label, value[2] if len(value) > 2 else label)
        else:
            choices[name] = (value, getattr(value, "label", None) or name, name)
    return choices
