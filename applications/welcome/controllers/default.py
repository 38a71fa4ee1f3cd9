# -*- coding: utf-8 -*-
# The default controller: each function without arguments is a page, /welcome/default/<name>.


def index():
    """The home page; returns a dict, so views/default/index.html renders it."""
    response.flash = T("Welcome to Pocketweb!")
    return dict(message=T("Hello World"))


def user():
    """Login, register, logout, profile, password reset: /welcome/default/user/<action>."""
    return dict(form=auth())


@cache.action()
def download():
    """Serve files uploaded through upload fields: /welcome/default/download/<name>."""
    return response.download(request, db)


def call():
    """Services: /welcome/default/call/json/<function> for functions decorated @service.json."""
    session.forget()
    return service()
