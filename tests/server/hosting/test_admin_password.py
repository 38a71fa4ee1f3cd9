"""The admin password file: real parameters_PORT.py files, checked against pydal's own CRYPT."""

from __future__ import annotations

import pytest
from pydal.validators import CRYPT

from server.hosting import admin_password as ap


def test_store_writes_only_a_salted_hash(tmp_path):
    path = ap.store_password(tmp_path, 8000, "s3cret!")
    assert path == tmp_path / "parameters_8000.py"
    text = path.read_text()
    assert "s3cret!" not in text
    assert text.startswith('password="pbkdf2(') and text.endswith('"\n')
    assert ap.HASH_RE.match(ap.read_hash(tmp_path, 8000))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parameters_8000.py"]


def test_check_password_accepts_only_the_right_one(tmp_path):
    ap.store_password(tmp_path, 8000, "s3cret!")
    assert ap.check_password(tmp_path, 8000, "s3cret!")
    assert not ap.check_password(tmp_path, 8000, "s3cret")
    assert not ap.check_password(tmp_path, 8000, "")
    assert not ap.check_password(tmp_path, 8001, "s3cret!")


def test_same_password_gets_a_new_salt_each_time(tmp_path):
    ap.store_password(tmp_path, 1, "same")
    ap.store_password(tmp_path, 2, "same")
    assert ap.read_hash(tmp_path, 1) != ap.read_hash(tmp_path, 2)


def test_passwords_are_per_port(tmp_path):
    ap.store_password(tmp_path, 8000, "one")
    ap.store_password(tmp_path, 8443, "two")
    assert ap.check_password(tmp_path, 8000, "one")
    assert ap.check_password(tmp_path, 8443, "two")
    assert not ap.check_password(tmp_path, 8443, "one")


def test_hash_is_the_format_pydal_crypt_checks(tmp_path):
    ap.store_password(tmp_path, 8000, "web2py")
    stored = ap.read_hash(tmp_path, 8000)
    assert CRYPT()("web2py")[0] == stored
    assert not CRYPT()("other")[0] == stored


def test_a_file_written_by_web2py_crypt_is_accepted(tmp_path):
    legacy = str(CRYPT(digest_alg="pbkdf2(1000,20,sha512)", salt=True)("old-admin")[0])
    (tmp_path / "parameters_8000.py").write_text(f'password="{legacy}"\n')
    assert ap.has_password(tmp_path, 8000)
    assert ap.check_password(tmp_path, 8000, "old-admin")
    assert not ap.check_password(tmp_path, 8000, "old-admin2")


def test_no_file_means_admin_off(tmp_path):
    assert ap.read_hash(tmp_path, 8000) is None
    assert not ap.has_password(tmp_path, 8000)
    assert not ap.check_password(tmp_path, 8000, "anything")


def test_recycle_reuses_the_existing_file_untouched(tmp_path):
    assert ap.recycle_password(tmp_path, 8000) is False
    path = ap.store_password(tmp_path, 8000, "keep")
    before = path.read_bytes()
    assert ap.recycle_password(tmp_path, 8000) is True
    assert path.read_bytes() == before
    assert ap.check_password(tmp_path, 8000, "keep")


def test_file_is_parsed_not_executed(tmp_path):
    marker = tmp_path / "executed"
    (tmp_path / "parameters_8000.py").write_text(
        f"open({str(marker)!r}, 'w').close()\npassword=\"x\"\n")
    ap.read_hash(tmp_path, 8000)
    ap.check_password(tmp_path, 8000, "x")
    assert not marker.exists()


@pytest.mark.parametrize("content, message", [
    ("password = (", "not valid Python"),
    ("secret = 'x'\n", "no line"),
    ("password = 12\n", "no line"),
])
def test_broken_files_raise_clear_errors_and_disable_admin(tmp_path, content, message):
    (tmp_path / "parameters_8000.py").write_text(content)
    with pytest.raises(ap.PasswordFileError, match=message):
        ap.read_hash(tmp_path, 8000)
    assert not ap.has_password(tmp_path, 8000)
    assert not ap.check_password(tmp_path, 8000, "12")


def test_plain_text_password_in_file_is_not_accepted(tmp_path):
    (tmp_path / "parameters_8000.py").write_text('password="letmein"\n')
    assert not ap.has_password(tmp_path, 8000)
    assert not ap.check_password(tmp_path, 8000, "letmein")


def test_empty_password_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot be empty"):
        ap.store_password(tmp_path, 8000, "")
    assert list(tmp_path.iterdir()) == []


def test_the_root_password_holds_for_every_port(tmp_path):
    path = ap.store_password(tmp_path, None, "rooted")
    assert path == tmp_path / "parameters.py"
    assert ap.has_password(tmp_path, None)
    for port in (8000, 8001, None):
        assert ap.check_password(tmp_path, port, "rooted")


def test_a_ports_own_file_takes_precedence_over_the_root_password(tmp_path):
    ap.store_password(tmp_path, None, "rooted")
    ap.store_password(tmp_path, 8000, "cli")
    assert ap.check_password(tmp_path, 8000, "cli")
    assert not ap.check_password(tmp_path, 8000, "rooted")
    assert ap.check_password(tmp_path, 8001, "rooted")


@pytest.mark.parametrize("port", [None, 8000])
def test_an_old_hash_is_verified_then_upgraded_in_its_own_file(tmp_path, port):
    old = ap.hash_password("s3cret", iterations=1000)  # web2py's own count
    ap.parameters_file(tmp_path, port).write_text(f'password="{old}"\n')
    assert not ap.check_password(tmp_path, port, "wrong")
    assert ap.read_hash(tmp_path, port) == old  # a wrong password changes nothing
    assert ap.check_password(tmp_path, port, "s3cret")
    upgraded = ap.read_hash(tmp_path, port)
    assert upgraded.startswith("pbkdf2(210000,") and ap.ITERATIONS >= 210_000
    assert ap.check_password(tmp_path, port, "s3cret")
    assert sorted(p.name for p in tmp_path.iterdir()) == [ap.parameters_file(tmp_path, port).name]
