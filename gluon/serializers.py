"""web2py's ``gluon.serializers``: JSON, XML, CSV and RSS as the generic views write them."""

from server.toolkit.serializers import csv, custom_json, json, loads_json, rss, xml, xml_rec, xml_safe_key

__all__ = ["csv", "custom_json", "json", "loads_json", "rss", "xml", "xml_rec", "xml_safe_key"]
