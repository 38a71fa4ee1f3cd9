"""server.toolkit.decoder: an unknown declared encoding falls back to UTF-8."""

from server.toolkit.decoder import detect_encoding


def test_unknown_declaration():
    assert detect_encoding(b'<?xml version="1.0" encoding="no-such"?><a/>') == "utf-8"
    assert detect_encoding(b'<?xml version="1.0" encoding="ISO-8859-1"?>') == "iso8859-1"
