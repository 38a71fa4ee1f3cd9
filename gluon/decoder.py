"""web2py's ``gluon.decoder``: ``decoder(buffer)``."""

from server.toolkit.decoder import decoder, detect_encoding

autoDetectXMLEncoding = detect_encoding  # noqa: N816 - web2py's name

__all__ = ["autoDetectXMLEncoding", "decoder"]
