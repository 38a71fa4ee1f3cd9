"""Calling SOAP services (web2py's ``gluon.contrib.pysimplesoap.client``), as far as the
maintained ``zeep`` package covers it: ``SoapClient(wsdl=url).Method(**arguments)`` answers a
dict of the response's elements (``ret['AddResult']``), as pysimplesoap does, and leaves the
last exchange in ``client.xml_request`` / ``client.xml_response``.

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

    def __init__(self, faultcode: str, faultstring: str, detail: object = None) -> None:
        super().__init__(faultcode, faultstring)
        self.faultcode, self.faultstring, self.detail = faultcode, faultstring, detail


class SoapClient:
    def __init__(self, location: str | None = None, action: str | None = None,
                 namespace: str | None = None, wsdl: str | None = None, trace: bool = False,
                 timeout: float = 60, **ignored: object) -> None:
        if not wsdl:
            raise RuntimeError("SoapClient needs wsdl=: calls without a WSDL are not supported")
        zeep = _zeep()
        transport = zeep.Transport(timeout=timeout, operation_timeout=timeout)
        self._history = importlib.import_module("zeep.plugins").HistoryPlugin()
        self._client = zeep.Client(wsdl, transport=transport, plugins=[self._history])
        self.xml_request = self.xml_response = None
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
                return self._as_dict(method, operation(*args, **kwargs))
            except fault_class as fault:
                raise SoapFault(fault.code, fault.message, fault.detail) from fault
            finally:
                self._keep_exchange()

        return call

    def _as_dict(self, method: str, result):
        """zeep unwraps a response of one element; pysimplesoap's callers index it by name."""
        names = [name for name, _ in
                 self._service._binding._operations[method].output.body.type.elements]
        return {names[0]: result} if len(names) == 1 else result

    def _keep_exchange(self) -> None:
        etree = importlib.import_module("lxml.etree")
        for attribute, exchange in (("xml_request", self._history.last_sent),
                                    ("xml_response", self._history.last_received)):
            if exchange:
                setattr(self, attribute, etree.tostring(exchange["envelope"], encoding="unicode"))
