"""gluon.contrib.pysimplesoap.client: importable; without zeep or a WSDL, clear errors."""

import sys

import pytest

from gluon.contrib.pysimplesoap.client import SoapClient, SoapFault


def test_a_client_needs_a_wsdl():
    with pytest.raises(RuntimeError, match="wsdl"):
        SoapClient(location="http://127.0.0.1:1/soap", action="x", namespace="y")


def test_without_zeep_it_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "zeep", None)  # as if not installed: importing it fails
    with pytest.raises(RuntimeError, match="zeep"):
        SoapClient(wsdl="http://127.0.0.1:1/service?wsdl")


def test_fault_carries_code_and_string():
    fault = SoapFault("Client", "bad input")
    assert (fault.faultcode, fault.faultstring) == ("Client", "bad input")
