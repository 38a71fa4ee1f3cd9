#!/usr/bin/env python3
"""Start Pocketweb from a checkout (``make run``); the launcher is :mod:`pocketweb.launcher`.

Run from here, Pocketweb keeps its data beside this file, in ``applications/``.
"""

import sys

from pocketweb.launcher import main

if __name__ == "__main__":
    sys.exit(main())
