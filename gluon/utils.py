"""web2py's ``gluon.utils``: tokens, hashes, signed payloads, safe evaluation, IP checks."""

from server.toolkit.crypto import compare, md5_hash, secure_dumps, secure_loads, simple_hash, web2py_uuid
from server.toolkit.netaddr import getipaddrinfo, is_loopback_ip_address, is_valid_ip_address
from server.toolkit.safe_eval import safe_eval_dict, safe_eval_expression

__all__ = [
    "compare", "getipaddrinfo", "is_loopback_ip_address", "is_valid_ip_address", "md5_hash",
    "safe_eval_dict", "safe_eval_expression", "secure_dumps", "secure_loads", "simple_hash",
    "web2py_uuid",
]
