"""gluon.decoder: bytes to text by BOM or XML declaration."""

import codecs

from gluon.decoder import decoder


def test_declared_bom_and_default_encodings():
    assert decoder('<?xml version="1.0" encoding="latin-1"?><a>é</a>'.encode("latin-1")) == \
        '<?xml version="1.0" encoding="latin-1"?><a>é</a>'
    assert decoder(codecs.BOM_UTF16_LE + "hé".encode("utf-16-le")) == "hé"
    assert decoder("caffè".encode()) == "caffè" and decoder("text") == "text"
