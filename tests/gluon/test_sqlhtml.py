"""``gluon.sqlhtml`` names what web2py apps import, and they are Pocketweb's own classes."""

from gluon import sqlhtml
from server.forms import SQLFORM, SQLTABLE, exporters, widgets


def test_sqlform_and_widgets_are_re_exported():
    assert sqlhtml.SQLFORM is SQLFORM and sqlhtml.SQLTABLE is SQLTABLE
    assert sqlhtml.StringWidget is widgets.StringWidget
    assert sqlhtml.UploadWidget is widgets.UploadWidget
    assert SQLFORM.widgets.options is widgets.OptionsWidget
    assert callable(SQLFORM.widgets.radio.widget)


def test_grid_exporters_are_re_exported():
    assert sqlhtml.ExportClass is exporters.ExportClass
    for name in ("CSV", "CSV_hidden", "TSV", "TSV_hidden", "HTML", "JSON", "XML"):
        assert getattr(sqlhtml, "Exporter" + name) is getattr(exporters, "Exporter" + name)
    assert issubclass(sqlhtml.ExporterCSV, sqlhtml.ExportClass)
