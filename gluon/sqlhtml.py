"""web2py's ``gluon.sqlhtml`` import path, for applications that import from it."""

from server.forms.exporters import (
    ExportClass,
    ExporterCSV,
    ExporterCSV_hidden,
    ExporterHTML,
    ExporterJSON,
    ExporterTSV,
    ExporterTSV_hidden,
    ExporterXML,
)
from server.forms.formstyles import FORMSTYLES
from server.forms.sqlform import SQLFORM
from server.forms.sqltable import SQLTABLE
from server.forms.widgets import (
    BooleanWidget,
    CheckboxesWidget,
    DatetimeWidget,
    DateWidget,
    DecimalWidget,
    DoubleWidget,
    FormWidget,
    IntegerWidget,
    ListWidget,
    MultipleOptionsWidget,
    OptionsWidget,
    PasswordWidget,
    RadioWidget,
    StringWidget,
    TextWidget,
    TimeWidget,
    UploadWidget,
)

__all__ = [
    "ExportClass", "ExporterCSV", "ExporterCSV_hidden", "ExporterHTML", "ExporterJSON",
    "ExporterTSV", "ExporterTSV_hidden", "ExporterXML", "FORMSTYLES", "SQLFORM", "SQLTABLE",
    "BooleanWidget", "CheckboxesWidget", "DateWidget", "DatetimeWidget", "DecimalWidget",
    "DoubleWidget", "FormWidget", "IntegerWidget", "ListWidget", "MultipleOptionsWidget",
    "OptionsWidget", "PasswordWidget", "RadioWidget", "StringWidget", "TextWidget",
    "TimeWidget", "UploadWidget",
]
