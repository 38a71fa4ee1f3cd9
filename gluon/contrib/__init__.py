"""web2py's ``gluon.contrib``: the contributed modules apps import, as faces over Pocketweb's
own code or over the maintained PyPI package that does the job."""
