"""Pocketweb: a web framework, a database, an editor and an admin in one portable window.

The package itself is the launcher (:mod:`pocketweb.launcher`); the framework is ``server``,
the window ``desktop``. An installed wheel also carries the shipped apps as
``pocketweb/applications`` (package data; the checkout's ``applications/`` folder).
"""
