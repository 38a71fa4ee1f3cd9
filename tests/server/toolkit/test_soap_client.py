"""server.toolkit.soap_client: private names are never looked up as SOAP operations."""

import pytest

from server.toolkit.soap_client import SoapClient


def test_private_names_are_attribute_errors():
    client = SoapClient.__new__(SoapClient)
    with pytest.raises(AttributeError):
        client._hidden  # noqa: B018
