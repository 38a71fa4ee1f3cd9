"""``python -m pocketweb``: the same program as the ``pocketweb`` command and ``main.py``."""

import sys

from pocketweb.launcher import main

sys.exit(main())
