"""HTTP and redirect as exceptions carrying a status."""

import pytest

from server.http import HTTP, redirect


def test_http_carries_status_body_and_headers():
    error = HTTP(404, "gone", X_Reason="moved")
    assert error.status == 404 and error.body == "gone"
    assert error.headers == {"X-Reason": "moved"}
    assert str(error) == "404 Not Found"


def test_redirect_is_303_with_location_and_refuses_header_injection():
    with pytest.raises(HTTP) as caught:
        redirect("/app/x\r\nSet-Cookie: evil=1")
    assert caught.value.status == 303
    assert "\r" not in caught.value.headers["Location"]
    assert "\n" not in caught.value.headers["Location"]


def test_client_side_redirect():
    with pytest.raises(HTTP) as caught:
        redirect("/a", client_side=True)
    assert caught.value.status == 200
    assert caught.value.headers["web2py-redirect-location"] == "/a"
