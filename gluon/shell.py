"""web2py's ``gluon.shell``: ``env(app, import_models)`` and ``exec_environment(pyfile)``."""

from server.shell_environment import env, exec_environment

__all__ = ["env", "exec_environment"]
