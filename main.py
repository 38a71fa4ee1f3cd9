#!/usr/bin/env python3
"""Start Pocketweb: the window, or a headless server with --no-gui (see --help)."""

import sys

from server.cli import main

if __name__ == "__main__":
    sys.exit(main())
