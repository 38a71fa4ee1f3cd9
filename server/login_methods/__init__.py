"""Ways to log in other than Auth's own password table (web2py's
``gluon.contrib.login_methods``): password checks against an outside service, and login forms
that hand the user to another site (OAuth 2.0, Janrain).

A password check is a callable ``check(username, password) -> bool`` for
``auth.settings.login_methods``; an unreachable service is logged and reads as ``False``
(never a traceback for the user), and a missing optional library is a clear ``RuntimeError``.
"""
