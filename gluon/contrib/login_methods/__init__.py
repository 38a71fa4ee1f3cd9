"""web2py's ``gluon.contrib.login_methods``: outside password checks and login forms."""
