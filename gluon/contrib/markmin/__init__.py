"""web2py's ``gluon.contrib.markmin`` package: ``markmin2html`` (and its module of that name)."""
