"""The baseline every figure is a ratio to: the smallest WSGI hello world."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "11")])
    return [b"Hello World"]
