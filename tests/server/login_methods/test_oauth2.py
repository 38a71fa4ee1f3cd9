"""server.login_methods.oauth2: providers answering form-encoded tokens (old Facebook)."""

from server.login_methods.oauth2 import _token_from


def test_json_and_form_encoded_tokens():
    assert _token_from('{"access_token": "a"}') == {"access_token": "a"}
    assert _token_from("access_token=b&expires=10") == {"access_token": "b", "expires": "10"}
    assert _token_from("[1]") == {}
