"""web2py's ``gluon.contrib.pysimplesoap.client``: ``SoapClient`` and ``SoapFault``."""

from server.toolkit.soap_client import SoapClient, SoapFault

__all__ = ["SoapClient", "SoapFault"]
