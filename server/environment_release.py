"""Freeing a finished request's globals at once, instead of by the cycle collector.

Every ``def`` of an app's models and controller holds the globals it was defined in (its
``__globals__``), and those globals hold it: a cycle. So everything a request made (its
request, response, session, T, the globals themselves) could only be freed by Python's cycle
collector, whose runs cost a hello request about a fifth of its time, and left the memory to
be reused late. :func:`release_environment` empties the globals when no code can ever read
them again, which breaks the cycles; reference counting then frees the request's objects as
it ends. Whenever anything else may still reach them it does nothing: web2py's semantics
(those globals live as long as anything uses them) are kept exactly.
"""

from __future__ import annotations

import sys
from types import FunctionType

# the references held while counting: the caller's one name, this function's parameter (or
# loop variable) and getrefcount's own argument
_COUNTING_REFERENCES = 3


def release_environment(env: dict, last_framework_name: str = "__name__") -> bool:
    """Empty ``env`` (a finished request's globals) if its only holders are the caller's one
    reference and functions defined in it that nothing else holds; True if it was emptied.

    Every other holder keeps it as it is: a thread or a registry holding one of its functions,
    a lambda, class or generator of the app's code still alive somewhere, a traceback, a module
    that kept ``current.globalenv``. Each such holder is one reference more than counted, so
    the count below cannot match. The caller must hold exactly one reference to ``env``.

    Only the names after ``last_framework_name`` (the app's own, in the order they were made)
    are looked at: the framework's hundred-odd before it hold no function of ``env``, and a
    function the app put in one of their places is not counted, which keeps ``env``."""
    own = 0
    for name in reversed(env):  # names, not items: the items iterator keeps its last pair
        if name == last_framework_name:
            break
        value = env[name]
        if type(value) is FunctionType and value.__globals__ is env and \
                sys.getrefcount(value) == _COUNTING_REFERENCES:  # env, value, the argument
            own += 1
    if sys.getrefcount(env) != _COUNTING_REFERENCES + own:
        return False
    env.clear()
    return True
