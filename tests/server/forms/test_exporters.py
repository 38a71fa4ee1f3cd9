"""The grid's export formats over a real SQLite database, as web2py's ``ExporterX(rows)``."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
from pydal import Field

from server.forms.exporters import (
    DEFAULT_EXPORTERS,
    ExportClass,
    ExporterCSV,
    ExporterCSV_hidden,
    ExporterHTML,
    ExporterJSON,
    ExporterTSV,
    ExporterTSV_hidden,
    ExporterXML,
    csv_safe_cell,
    csv_safe_text,
    export_choices,
)


@pytest.fixture
def people(db):
    db.define_table("person", Field("name"), Field("born", "date"),
                    Field("score", "integer", represent=lambda v, row: f"{v} pts"))
    db.person.insert(name="Ann", born=datetime.date(1990, 5, 1), score=3)
    db.person.insert(name="=HYPERLINK(\"http://evil\")", born=None, score=-5)
    db.person.insert(name="<b>Bob</b>", born=None, score=None)
    return db


def rows_of(db, *fields):
    return db(db.person).select(*(fields or [db.person.ALL]), orderby=db.person.id)


def cells(text, delimiter=","):
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_each_format_names_its_file_type_as_web2py_does():
    assert [(c.label, c.file_ext, c.content_type) for c in (
        ExporterCSV, ExporterCSV_hidden, ExporterTSV, ExporterTSV_hidden, ExporterHTML,
        ExporterXML, ExporterJSON)] == [
        ("CSV", "csv", "text/csv"), ("CSV", "csv", "text/csv"),
        ("TSV", "tsv", "text/tab-separated-values"), ("TSV", "tsv", "text/tab-separated-values"),
        ("HTML", "html", "text/html"), ("XML", "xml", "text/xml"),
        ("JSON", "json", "application/json")]
    assert sorted(DEFAULT_EXPORTERS) == ["csv", "csv_with_hidden_cols", "html", "json", "tsv",
                                         "tsv_with_hidden_cols", "xml"]


def test_csv_uses_represent_and_neutralises_formulas(people):
    table = cells(ExporterCSV(rows_of(people)).export())
    assert table[0] == ["person.id", "person.name", "person.born", "person.score"]
    assert table[1] == ["1", "Ann", "1990-05-01", "3 pts"]
    assert table[2] == ["2", "'=HYPERLINK(\"http://evil\")", "<NULL>", "'-5 pts"]
    assert table[3][1] == "<b>Bob</b>"


def test_hidden_csv_and_tsv_write_raw_values(people):
    raw = cells(ExporterCSV_hidden(rows_of(people)).export())
    assert raw[1][3] == "3" and raw[2][1].startswith("'=") and raw[2][3] == "-5"
    tsv = cells(ExporterTSV_hidden(rows_of(people)).export(), "\t")
    assert tsv[1] == ["1", "Ann", "1990-05-01", "3"]
    shown = cells(ExporterTSV(rows_of(people)).export(), "\t")
    assert shown[1][3] == "3 pts"


def test_html_is_a_whole_page_with_escaped_cells(people):
    page = ExporterHTML(rows_of(people)).export()
    assert page.startswith("<html>\n<head>\n<meta http-equiv=\"content-type\"")
    assert "&lt;b&gt;Bob&lt;/b&gt;" in page and "<b>Bob" not in page
    assert "<th scope=\"col\">Name</th>" in page


def test_xml_and_json_are_pydal_serialisations(people):
    root = ElementTree.fromstring(ExporterXML(rows_of(people, people.person.name)).export())
    assert [row.find("name").text for row in root] == ["Ann", "=HYPERLINK(\"http://evil\")",
                                                        "<b>Bob</b>"]
    joined = people(people.person.id == 1).select(people.person.name, people.person.id.count(),
                                                  groupby=people.person.name)
    nested = ElementTree.fromstring(ExporterXML(joined).export())
    assert nested.find("row/person/name").text == "Ann"
    assert nested.find("row/_extra/extra").attrib["name"] == 'COUNT("person"."id")'

    assert [r["name"] for r in json.loads(ExporterJSON(rows_of(people)).export())][0] == "Ann"


def test_no_rows_gives_web2py_s_empty_answers(people):
    empty = people(people.person.id < 0).select()
    assert ExporterCSV(empty).export() is None and ExporterTSV(empty).export() is None
    assert ExporterCSV_hidden(empty).export() == ""
    assert ExporterXML(empty).export() == "<rows></rows>"
    assert ExporterJSON(empty).export() == "null"
    assert "<body>\n\n</body>" in ExporterHTML(empty).export()


def test_represented_gives_rows_for_a_custom_format(people):
    class Lines(ExportClass):
        label, file_ext, content_type = "Lines", "txt", "text/plain"

        def export(self):
            return "\n".join("|".join(map(str, row)) for row in self.represented())

    assert Lines(rows_of(people)).export().splitlines() == [
        "1|Ann|1990-05-01|3 pts", '2|=HYPERLINK("http://evil")|<NULL>|-5 pts',
        "3|<b>Bob</b>|<NULL>|None pts"]
    with pytest.raises(NotImplementedError):
        ExportClass(rows_of(people)).export()


def test_safe_cells_leave_numbers_and_plain_text_alone():
    assert [csv_safe_cell(c) for c in ("-5", "+3.5", "@sum", "-x", "a=b", "\tx")] == [
        "-5", "+3.5", "'@sum", "'-x", "a=b", "'\tx"]
    assert csv_safe_text("") == "" and csv_safe_text(None) is None
    assert csv_safe_text('a,"=1+2"\r\n') == "a,'=1+2\r\n"


def test_exportclasses_add_replace_and_remove_formats():
    class Lines(ExportClass):
        label = "Lines"

    choices = export_choices({"csv": False, "tsv_with_hidden_cols": None, "lines": Lines,
                              "json": (ExporterJSON, "Data", "For programs")})
    assert "csv" not in choices and "tsv_with_hidden_cols" not in choices
    assert choices["lines"] == (Lines, "Lines", "lines")
    assert choices["json"] == (ExporterJSON, "Data", "For programs")
    assert choices["xml"] == DEFAULT_EXPORTERS["xml"]
    assert export_choices(None) == DEFAULT_EXPORTERS
