"""server.login_methods.janrain: profile fields by provider."""

from server.login_methods.janrain import RPXAccount
from server.storage import Storage


def test_profile_mappings():
    account = RPXAccount(Storage(post_vars=Storage(), get_vars=Storage()))
    profile = {"identifier": "id1", "preferredUsername": "ann", "email": "a@x.org",
               "name": {"givenName": "Ann", "familyName": "Lee"}}
    assert account.mappings.Google(profile)["last_name"] == "Lee"
    assert account.mappings.default(profile)["first_name"] == "ann"
