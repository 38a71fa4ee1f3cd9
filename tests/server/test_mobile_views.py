"""server.mobile_views: the mobile variant's file name."""

from server.mobile_views import mobile_view


def test_mobile_view_names():
    assert mobile_view("default/index.html") == "default/index.mobile.html"
    assert mobile_view("generic") == "generic.mobile"
