"""Serve one WSGI callable on cheroot with the benchmark's settings, until stdin closes.

``python serve_cheroot.py module:attribute PORT THREADS`` prints ``ready`` once it listens. The
same script starts every contender (bare hello, Pocketweb, py4web, Flask), each in the Python
environment it is installed in, so the server settings are the same for all of them.
"""

from __future__ import annotations

import importlib
import sys
import threading

from cheroot import wsgi


def load(target: str):
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def main() -> None:
    target, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    server = wsgi.Server(("127.0.0.1", port), load(target), numthreads=threads)
    server.prepare()
    threading.Thread(target=server.serve, daemon=True).start()
    print("ready", flush=True)
    sys.stdin.read()  # the benchmark closes our stdin to stop us
    server.stop()


if __name__ == "__main__":
    main()
