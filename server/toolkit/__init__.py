"""web2py's library modules, the ones apps import by name through ``gluon``: markup languages
(markmin, markdown wiki), feeds and serialisers, XML-RPC and SOAP clients, crypto helpers,
content types, user agents, app configuration and the like. None of them takes part in
serving a request; the request pipeline lives in ``server/`` itself."""
