"""Password hashes: pbkdf2-sha512 at 210000 rounds, old ones upgraded, no timing hint."""

from __future__ import annotations

import pytest
from auth_site import Site, make_app
from pydal import DAL
from support import assert_answer


@pytest.fixture
def default_site(root, wsgi_server, browser):
    """The test app with Pocketweb's own hashing settings (the other Auth tests hash cheaply)."""
    return Site(wsgi_server(root), browser, make_app(root, hashes=""))


def test_an_unknown_account_costs_a_hash_like_a_known_one():
    from server.auth import passwords

    passwords._dummy_hash.cache_clear()
    assert not passwords.password_matches(None, "guess")
    assert passwords._dummy_hash.cache_info().misses == 1  # a real pbkdf2 hash was compared
    assert passwords._dummy_hash("pbkdf2(210000,20,sha512)").startswith("pbkdf2(210000,20,sha512)$")
    assert not passwords.password_matches("", "")


def test_hashes_are_pbkdf2_sha512_210000_and_old_ones_are_upgraded_at_login(default_site):
    from pydal.validators import CRYPT

    default_site.register_and_verify()
    db = DAL("sqlite://storage.sqlite", folder=str(default_site.folder / "databases"), auto_import=True)
    try:
        assert db(db.auth_user).select().first().password.startswith("pbkdf2(210000,20,sha512)$")
        old = str(CRYPT(digest_alg="pbkdf2(1000,20,sha512)", salt=True)("s3cret-pass")[0])
        db(db.auth_user).update(password=old)
        db.commit()
    finally:
        db.close()
    assert_answer(default_site.login(), 303,
                  Location='/app/default/index')  # the old hash still verifies
    db = DAL("sqlite://storage.sqlite", folder=str(default_site.folder / "databases"), auto_import=True)
    try:
        upgraded = db(db.auth_user).select().first().password
    finally:
        db.close()
    assert upgraded != old and upgraded.startswith("pbkdf2(210000,20,sha512)$")
    default_site.get("user/logout")
    assert_answer(default_site.login(), 303, Location="/app/default/index")
