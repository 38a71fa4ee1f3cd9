"""web2py's ``gluon.compileapp``: build an environment and run models, controller and view."""

from server.compileapp import (
    build_environment,
    compile_application,
    remove_compiled_application,
    run_controller_in,
    run_models_in,
    run_view_in,
)

__all__ = [
    "build_environment", "compile_application", "remove_compiled_application",
    "run_controller_in", "run_models_in", "run_view_in",
]
