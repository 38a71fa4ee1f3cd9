"""``gluon.globals``: request, response and session can be built outside a request, as app test
harnesses do, and behave as web2py's Storages."""

from gluon.globals import Request, Response, Session, current


def test_built_outside_a_request():
    request = Request({})
    assert request.application is None and request.args == [] and request.vars == {}
    assert request.env.request_method == "GET" and request.extension == "html"
    response, session = Response(), Session()
    assert response.view is None and response.author is None and session.anything is None
    current.request = request
    try:
        assert current.request is request
    finally:
        vars(current).pop("request", None)  # later tests expect an empty current


def test_request_reads_like_a_storage():
    request = Request({"HTTP_HOST": "h", "PATH_INFO": "/a"})
    request.application = "shop"
    assert "%(application)s" % request == "shop"  # noqa: UP031 - the mapping protocol is the point
    assert request.get("application") == "shop" and request.get("nope", 3) == 3
    assert request.unknown_attribute is None and "application" in request
