"""web2py's ``gluon.contrib.simplejson``: the standard library's json under the old name."""

from json import *  # noqa: F401,F403
from json import JSONDecodeError, JSONDecoder, JSONEncoder, dump, dumps, load, loads  # noqa: F401
