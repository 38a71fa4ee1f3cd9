"""py4web's WSGI callable over the benchmark's apps folder (``$BENCH_PY4WEB_APPS``)."""

import os

from py4web.core import wsgi

application = wsgi(apps_folder=os.environ["BENCH_PY4WEB_APPS"], yes=True)
