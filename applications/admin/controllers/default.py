# -*- coding: utf-8 -*-
# Pocketweb's admin login: web2py apps' own appadmin.py sends here (/admin/default/index?send=...)
# to ask for the admin password. Only this machine, or a client over HTTPS, may log in.
import os

from server.admin_login import log_in, log_out, password_is_set, secure_channel

if not secure_channel(request):
    raise HTTP(403, "admin is disabled because insecure channel: use this machine or HTTPS")


def _safe_send():
    """Where to go back to: a path of this site only."""
    send = request.vars.send or ""
    send = str(send[-1] if isinstance(send, list) else send)  # in the query and the form
    return send if send.startswith("/") and not send.startswith("//") else None


def _applications():
    parent = os.path.dirname(os.path.dirname(request.folder.rstrip("/")))
    folder = os.path.join(parent, "applications")
    return sorted(name for name in os.listdir(folder)
                  if name != request.application and os.path.isdir(os.path.join(folder, name))
                  and not name.startswith((".", "_")))


def index():
    if not password_is_set(request):
        return dict(form=P(T("Start Pocketweb with an admin password (-a) to log in.")), apps=[])
    form = FORM(LABEL(T("Admin password"), _for="password"),
                INPUT(_type="password", _name="password", _id="password",
                      _autocomplete="current-password"),
                INPUT(_type="hidden", _name="send", _value=_safe_send() or ""),
                INPUT(_type="submit", _value=T("Log in")))
    if form.process(onsuccess=None, onfailure=None).accepted:
        if log_in(request, session, form.vars.password):
            redirect(_safe_send() or URL("index"))
        response.flash = T("Wrong admin password")
    return dict(form=None if session.authorized else form,
                apps=_applications() if session.authorized else [])


def logout():
    log_out(session)
    redirect(URL("index"))
