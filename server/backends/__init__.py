"""Session and cache stores kept outside the app folder: signed cookies and Redis. They plug
into :mod:`server.session_stores` and :mod:`server.cache` and are what lets one app run on
many processes (see docs/deploy.md)."""
