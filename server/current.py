"""``current``: the thread-local that holds request, response, session, cache and T of this request."""

import threading

current = threading.local()
