# The two commands a new user needs: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint mutate bench screenshots package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

# Tests run on TEST_WORKERS pytest-xdist processes: most of the suite waits on servers,
# browsers and subprocesses, so four workers keep two cores busy (`TEST_WORKERS=0`: one
# process). `--dist loadgroup` keeps a file's tests that share a module fixture (a built
# wheel, a gunicorn cluster) in one worker (tests/conftest.py marks them). Bytecode (and
# pytest's rewritten test modules) is cached in .venv even where PYTHONDONTWRITEBYTECODE is
# set, so the run and every subprocess a test starts skip recompiling the same sources.
# Temporary files go to /dev/shm where it is a roomy tmpfs (POCKETWEB_TESTS_TMPFS, read by
# tests/conftest.py): no test waits for a disk's fdatasync after each SQLite commit. A TMPDIR
# you set is kept.
TEST_WORKERS ?= 4
test: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache \
		POCKETWEB_TESTS_TMPFS=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Pictures for the docs: the window under Xvfb (installs it and Qt's xcb libraries if missing),
# the tutorial's window and pages, and every example app in Debian's Chromium.
screenshots: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(PY) scripts/screenshots.py
	$(PY) scripts/screenshots_views.py
	$(PY) scripts/screenshots_tutorial.py
	$(PY) scripts/screenshots_examples.py
	$(PY) scripts/screenshots_tools.py
	$(PY) scripts/screenshots_console.py

# Mutation testing (mutmut), each module against its own mirrored tests, bounded in time; a
# developer's tool, not part of `make test` or CI. `make mutate MODULES=server/routing.py`.
mutate: $(STAMP)
	$(PY) scripts/mutate.py $(MODULES) $(MUTATE_ARGS)

# The frameworks the server benchmark compares with live in their own environment, never .venv.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: benchmarks/peers/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r benchmarks/peers/requirements.txt
	touch $@

# Benchmarks report numbers; they never fail a build. wrk comes from Debian's packages.
bench: $(STAMP) $(BENCH_VENV)/.installed
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) benchmarks/server_bench.py $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/editor_bench.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/db_browser_bench.py

# The portable executable: one-folder and one-file PyInstaller builds in dist/, with their sizes
# and start times. Heavy (about a minute per build), so never part of `make test`.
package: $(STAMP)
	$(PY) packaging/build.py $(PACKAGE_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) build dist .pytest_cache
