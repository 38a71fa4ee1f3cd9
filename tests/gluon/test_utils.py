"""gluon.utils: web2py's tokens, hashes, signed payloads, safe evaluation and IP checks."""

import re

import pytest
from pydal import DAL, Field

from gluon.utils import (
    compare,
    getipaddrinfo,
    is_loopback_ip_address,
    is_valid_ip_address,
    md5_hash,
    safe_eval_dict,
    safe_eval_expression,
    secure_dumps,
    secure_loads,
    simple_hash,
    web2py_uuid,
)

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_web2py_uuid_is_a_random_uuid4_string():
    first, second = web2py_uuid(), web2py_uuid()
    assert UUID4.match(first) and UUID4.match(second) and first != second


def test_hashes():
    assert md5_hash("abc") == "900150983cd24fb0d6963f7d28e17f72"
    assert simple_hash("abc", digest_alg="sha256") == \
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert simple_hash("abc", key="k", digest_alg="sha1") != simple_hash("abc", digest_alg="sha1")
    assert len(simple_hash("pw", salt="s", digest_alg="pbkdf2(1000,20,sha512)")) == 40


def test_compare_is_equality():
    assert compare("abc", "abc") and not compare("abc", "abd") and compare(b"x", "x")


def test_secure_dumps_round_trip_and_refuses_tampering():
    token = secure_dumps({"user": 7, "roles": ["a"]}, "secret key", compression_level=6)
    assert secure_loads(token, "secret key", compression_level=6) == {"user": 7, "roles": ["a"]}
    assert secure_loads(token, "another key", compression_level=6) is None
    forged = token[:-2] + (b"A" if token[-2:-1] != b"A" else b"B") + token[-1:]
    assert secure_loads(forged, "secret key", compression_level=6) is None
    assert b"user" not in token  # encrypted, not just signed


def test_safe_eval_expression_builds_a_dal_query_and_refuses_the_rest():
    db = DAL("sqlite:memory")
    db.define_table("person", Field("name"))
    db.person.insert(name="Ann")
    query = safe_eval_expression("db.person.name.like('A%')", {"db": db})
    assert db(query).count() == 1
    for bad in ("__import__('os')", "db.__class__", "[x for x in ()]", "open('/etc/passwd')",
                "db.person.name.__dict__"):
        with pytest.raises(ValueError):
            safe_eval_expression(bad, {"db": db})


def test_safe_eval_dict_reads_keyword_arguments():
    assert safe_eval_dict('foo="hello, world", bar=1') == {"foo": "hello, world", "bar": 1}
    assert safe_eval_dict("name=db.person.name") == {"name": "db.person.name"}
    assert safe_eval_dict("") == {} and safe_eval_dict("((") == {}


def test_ip_addresses():
    assert is_valid_ip_address("127.0.0.1") and is_valid_ip_address("::1")
    assert is_valid_ip_address("localhost") and not is_valid_ip_address("1.2.3")
    assert is_loopback_ip_address("127.0.0.1") and is_loopback_ip_address("::ffff:127.0.0.1")
    assert not is_loopback_ip_address("8.8.8.8")
    assert is_loopback_ip_address(addrinfo=getipaddrinfo("127.0.0.1"))
    assert getipaddrinfo("no-such-host.invalid") == []
