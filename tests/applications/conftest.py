"""Browser fixtures for the shipped applications: Debian's Chromium driven by playwright.

One headless Chromium per test session (playwright gives each launch a fresh temporary
profile), one browser context and page per test, and a live Pocketweb server serving a fresh
copy of the application under test. The application is the test file's folder name:
``tests/applications/contacts/test_default.py`` tests ``applications/contacts``.

Every test runs twice, at a desktop width (1280 px) and a phone width (375 px). The ``site``
fixture watches everything the page does and fails the test at teardown on any request that
leaves the loopback server, any failed resource (network error or HTTP status >= 400 not
expected with :meth:`Site.expect_status`), any console error or uncaught script error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WIDTHS = {"desktop": 1280, "phone": 375}
SOURCE_APPS = Path(__file__).resolve().parents[2] / "applications"
TIMEOUT_MS = 15_000


class Site:
    """One test's page on one app, with the watch described in the module docstring."""

    def __init__(self, page, base_url: str, app: str, root: Path, width: int):
        self.page, self.base, self.app, self.root, self.width = page, base_url, app, root, width
        self.problems: list[str] = []
        self.expected: set[tuple[int, str]] = set()
        self.seen_expected: list[int] = []
        self.load_errors: list[int] = []  # Chromium logs every 4xx/5xx as a console error too
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    # -- the watch -----------------------------------------------------------------------------

    def _console(self, message) -> None:
        status = re.search(r"^Failed to load resource: .* status of (\d+)", message.text)
        if status:
            self.load_errors.append(int(status.group(1)))
        elif message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request) -> None:
        # Outside requests are reported by route(); ERR_ABORTED is the browser itself dropping
        # a request because the page moved on (a favicon still loading when a form is sent).
        if request.url.startswith(self.base) and request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        path = response.url[len(self.base):].split("?")[0]
        if (response.status, path) in self.expected:
            self.seen_expected.append(response.status)
        elif response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def route(self, route) -> None:
        """Context route handler: loopback requests go through, anything else is refused."""
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.problems.append(f"outside request: {route.request.url}")
            route.abort()

    def unexplained(self) -> list[str]:
        """Every problem seen, less the console lines of the expected HTTP errors."""
        logged = list(self.load_errors)
        for status in self.seen_expected:
            if status in logged:
                logged.remove(status)
        return self.problems + [f"console error: a resource failed with {status}"
                                for status in logged]

    def expect_status(self, status: int, path: str) -> None:
        """The test means to see ``status`` for ``path`` (a refusal is the point there)."""
        self.expected.add((status, self.path(path)))

    # -- acting as a user ----------------------------------------------------------------------

    def path(self, page: str) -> str:
        """``"default/index"`` -> ``"/<app>/default/index"``; absolute paths pass as they are."""
        return page if page.startswith("/") else f"/{self.app}/{page}"

    def go(self, page: str):
        """Open a page as if typed in the address bar; returns the main response."""
        response = self.page.goto(self.base + self.path(page))
        self.check_layout()
        return response

    def click(self, name: str, role: str = "link"):
        """Click the link or button with this accessible name and wait for the next page."""
        with self.page.expect_navigation():
            self.page.get_by_role(role, name=name, exact=True).first.click()
        self.check_layout()

    def fill(self, **fields: str) -> None:
        """Type into form fields found by their label (``first_name="Ann"``: "First name")."""
        for label, value in fields.items():
            self.page.get_by_label(label.replace("_", " "), exact=True).fill(value)

    def submit(self, button: str, **fields: str) -> None:
        """Fill ``fields``, press the submit button named ``button``, wait for the answer."""
        self.fill(**fields)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        self.check_layout()

    def text(self, selector: str = "main") -> str:
        return self.page.inner_text(selector)

    def flash(self) -> str:
        return self.page.inner_text(".flash")

    def errors(self) -> list[str]:
        """The validation messages the form shows."""
        return self.page.locator(".error").all_inner_texts()

    def check_layout(self) -> None:
        """No horizontal scroll: the page fits its window's width (the phone's, at 375 px)."""
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            self.problems.append(f"{self.page.url} scrolls sideways by {overflow}px at "
                                 f"{self.width}px")


WEB2PY_DIGEST_ALG = "pbkdf2(1000,20,sha512)"


@pytest.fixture(autouse=True)
def web2py_password_hashes(monkeypatch):
    """The apps' Auth hashes passwords as web2py does by default (1,000 rounds, ~1 ms) instead
    of Pocketweb's 210,000 (~0.25 s of CPU each): a browser test signs up, logs in and changes
    passwords several times, and the hash's cost is no part of what it checks. The servers run
    in this process, so Auth's settings read this. tests/server/auth/test_passwords.py keeps
    the real default's own test."""
    monkeypatch.setattr("server.auth.passwords.DIGEST_ALG", WEB2PY_DIGEST_ALG)


@pytest.fixture
def app_server(live_server, tmp_path):
    """``base_url, root = app_server(name)``: a fresh copy of a shipped app, served live."""
    from server.manage.apps import copy_app

    def serve(app: str) -> tuple[str, Path]:
        copy_app(SOURCE_APPS / app, tmp_path / "applications" / app)
        return live_server(tmp_path), tmp_path

    return serve


def watched_site(chromium, base_url: str, app: str, root: Path, width: int):
    """A new browser page on ``app`` at ``base_url``, watched; checks the watch when done."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watched = Site(page, base_url, app, root, width)
    context.route("**/*", watched.route)
    yield watched
    context.close()
    problems = watched.unexplained()
    assert problems == [], "\n".join(problems)


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def site(request, chromium, app_server):
    """The test folder's app on a live server, opened in a new browser page."""
    app = Path(request.fspath).parent.name
    base_url, root = app_server(app)
    yield from watched_site(chromium, base_url, app, root, WIDTHS[request.param])


@pytest.fixture
def new_app_site(chromium, live_server, tmp_path):
    """An app just made as the Applications menu's New makes it (``create_app``: the bundled
    scaffold under the name ``notes``), served live and opened at the desktop width."""
    from server.manage.apps import create_app

    create_app(tmp_path, "notes")
    yield from watched_site(chromium, live_server(tmp_path), "notes", tmp_path,
                            WIDTHS["desktop"])
