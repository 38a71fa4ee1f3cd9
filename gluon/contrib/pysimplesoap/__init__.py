"""web2py's ``gluon.contrib.pysimplesoap``: a SOAP client over the maintained zeep package."""
