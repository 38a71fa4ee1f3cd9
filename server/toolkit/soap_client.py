"""Calling SOAP services (web2py's ``gluon.contrib.pysimplesoap.client``), as far as the
maintained ``zeep`` package covers it: ``SoapClient(wsdl=url).Method(**arguments)``.

zeep is optional (it brings lxml); without it, making a client says how to install it. Only
WSDL-described services are supported: pysimplesoap's hand-built calls without a WSDL
(``location=``/``action=``/``namespace=`` only) are refused with a clear error.
"""

from __future__ import annotations

import importlib


def _zeep():
    try:
        return importlib.import_module("zeep")
    except ImportError as exc:
        raise RuntimeError("SOAP calls need the 'zeep' package (pip install zeep)") from exc


class SoapFault(Exception):
    """The service answered with a SOAP fault: ``faultcode`` and ``faultstring``."""

    def __init__(self, faultcode, faultstring, detail=None):
        super().__init__(faultcode, faultstring)
        self.faultcode, self.faultstring, self.detail = faultcode, faultstring, detail


class SoapClient:
    def __init__(self, location=None, action=None, namespace=None, wsdl=None, trace=False,
                 timeout=60, **ignored):
        if not wsdl:
            raise RuntimeError("SoapClient needs wsdl=: calls without a WSDL are not supported")
        zeep = _zeep()
        transport = zeep.Transport(timeout=timeout, operation_timeout=timeout)
        self._client = zeep.Client(wsdl, transport=transport)
        self._service = (self._client.create_service(
            next(iter(self._client.wsdl.bindings)), location) if location
            else self._client.service)

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        operation = getattr(self._service, method)
        fault_class = importlib.import_module("zeep.exceptions").Fault

        def call(*args, **kwargs):
            try:
                return operation(*args, **kwargs)
            except fault_class as fault:
                raise SoapFault(fault.code, fault.message, fault.detail) from fault

        return call
