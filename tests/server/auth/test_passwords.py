"""Password hashes: pbkdf2-sha512 at 210000 rounds, old ones upgraded, no timing hint."""

from __future__ import annotations

from pydal import DAL
from support import assert_answer


def test_an_unknown_account_costs_a_hash_like_a_known_one():
    from server.auth import passwords

    passwords._dummy_hash.cache_clear()
    assert not passwords.password_matches(None, "guess")
    assert passwords._dummy_hash.cache_info().misses == 1  # a real pbkdf2 hash was compared
    assert passwords._dummy_hash("pbkdf2(210000,20,sha512)").startswith("pbkdf2(210000,20,sha512)$")
    assert not passwords.password_matches("", "")


def test_hashes_are_pbkdf2_sha512_210000_and_old_ones_are_upgraded_at_login(live_site):
    from pydal.validators import CRYPT

    live_site.register_and_verify()
    db = DAL("sqlite://storage.sqlite", folder=str(live_site.folder / "databases"), auto_import=True)
    try:
        assert db(db.auth_user).select().first().password.startswith("pbkdf2(210000,20,sha512)$")
        old = str(CRYPT(digest_alg="pbkdf2(1000,20,sha512)", salt=True)("s3cret-pass")[0])
        db(db.auth_user).update(password=old)
        db.commit()
    finally:
        db.close()
    assert_answer(live_site.login(), 303,
                  Location='/app/default/index')  # the old hash still verifies
    db = DAL("sqlite://storage.sqlite", folder=str(live_site.folder / "databases"), auto_import=True)
    try:
        upgraded = db(db.auth_user).select().first().password
    finally:
        db.close()
    assert upgraded != old and upgraded.startswith("pbkdf2(210000,20,sha512)$")
    live_site.get("user/logout")
    assert_answer(live_site.login(), 303, Location="/app/default/index")
