"""Screenshots of every example application for the docs, in headless Chromium.

    .venv/bin/python scripts/screenshots_examples.py [--out docs/examples]

Each example is copied to a throw-away root, served on a free port, given a little data the
way a user would (through its own forms) and photographed at 1280 px, plus one phone-width
(375 px) picture of each. Needs Debian's Chromium (``apt-get install -y chromium``).
"""

from __future__ import annotations

import argparse
import shutil
import struct
import sys
import tempfile
import zlib
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_ROOT))
sys.path.insert(0, str(SOURCE_ROOT / "scripts"))

from chromium import CHROMIUM, INSTALL_HINT, launch  # noqa: E402

PASSWORD = "tulips2026"


class Visit:
    """A page of one app: open, fill by label, press a button, photograph."""

    def __init__(self, page, base: str, app: str, out: Path):
        self.page, self.base, self.app, self.out = page, base, app, out

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}/{self.app}/{path}")

    def submit(self, button: str, **fields: str) -> None:
        for label, value in fields.items():
            self.page.get_by_label(label.replace("_", " "), exact=True).fill(value)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).first.click()

    def shot(self, name: str, phone: bool = False) -> None:
        if phone:
            self.page.set_viewport_size({"width": 375, "height": 740})
        self.page.screenshot(path=str(self.out / f"{name}.png"), full_page=not phone)
        self.page.set_viewport_size({"width": 1280, "height": 800})
        print("saved", self.out / f"{name}.png", flush=True)


def portrait(folder: Path, name: str, colour: bytes) -> Path:
    """A plain 48x48 PNG to upload as a contact's picture."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + colour * 48 for _ in range(48))
    path = folder / f"{name}.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 48, 48, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def contacts(visit: Visit, scratch: Path) -> None:
    for company in ("Acme Tools", "Blue Harbour"):
        visit.go("default/company_edit")
        visit.submit("Submit", Name=company)
    people = (("Ada Byron", "ada", b"\x2f\x6f\xdf"), ("Grace Hopper", "grace", b"\x1f\x7a\x4d"))
    for name, login, colour in people:
        visit.go("default/contact_edit?company=1")
        visit.page.get_by_label("Picture").set_input_files(str(portrait(scratch, login, colour)))
        visit.submit("Submit", Name=name, Email=f"{login}@example.com", Phone="+44 20 7946 0000")
    visit.shot("contacts")
    visit.go("default/contact/1")
    visit.submit("Add note", Note="Called about the spring order; send the catalogue.")
    visit.shot("contacts-notes", phone=True)


def login(visit: Visit, scratch: Path) -> None:
    visit.go("default/user/register")
    visit.submit("Sign Up", First_name="Ada", Last_name="Byron", Email="ada@example.com",
                 Password=PASSWORD, Verify_Password="typo")
    visit.shot("login")
    visit.shot("login-phone", phone=True)


def todo(visit: Visit, scratch: Path) -> None:
    visit.go("default/user/register")
    visit.submit("Sign Up", First_name="Ada", Last_name="Byron", Email="ada@example.com",
                 Password=PASSWORD, Verify_Password=PASSWORD)
    visit.go("default/index?show=all")
    for task in ("Buy milk", "Water the plants", "Call the plumber"):
        visit.submit("Add", New_task=task)
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Done").first.click()
    visit.go("default/index?show=all")
    visit.shot("todo")
    visit.shot("todo-phone", phone=True)


def contact_form(visit: Visit, scratch: Path) -> None:
    visit.go("default/index")
    visit.submit("Send", Your_name="Ada", Your_email="ada@", Message="")
    visit.shot("contact_form")
    visit.shot("contact_form-phone", phone=True)


def cart(visit: Visit, scratch: Path) -> None:
    visit.go("default/index")
    for product in ("Fountain pen", "Fountain pen", "Notebook"):
        with visit.page.expect_navigation():
            visit.page.locator("li", has_text=product).get_by_role("button").click()
    visit.go("default/basket")
    visit.submit("Update quantities", Fountain_pen="5")
    visit.submit("Check out", Your_name="Ada")
    visit.shot("cart")
    visit.shot("cart-phone", phone=True)


def bank(visit: Visit, scratch: Path) -> None:
    visit.go("default/index")
    for owner in ("Ada", "Bob"):
        visit.submit("Open account", Owner=owner)
    visit.go("default/account/1")
    visit.submit("Go", Amount="250")
    visit.go("default/transfer_money")
    visit.page.get_by_label("From").select_option(label="Ada (#1)")
    visit.page.get_by_label("To").select_option(label="Bob (#2)")
    visit.submit("Transfer", Amount="80")
    visit.page.check("input[value=withdraw]")
    visit.submit("Go", Amount="1000")
    visit.shot("bank")
    visit.shot("bank-phone", phone=True)


def data_fetch(visit: Visit, scratch: Path) -> None:
    visit.go("default/index")
    visit.page.get_by_text("5 cities", exact=True).wait_for()
    visit.shot("data_fetch")
    visit.page.get_by_label("Search").fill("ja")
    visit.page.get_by_text("1 city", exact=True).wait_for()
    visit.shot("data_fetch-phone", phone=True)


EXAMPLES = (contacts, login, todo, contact_form, cart, bank, data_fetch)


def take(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from server.hosting.httpd import WebServer
    from server.manage.apps import copy_app
    from server.wsgi import make_application

    root = Path(tempfile.mkdtemp(prefix="pocketweb-examples-"))
    try:
        for example in EXAMPLES:
            copy_app(SOURCE_ROOT / "applications" / example.__name__,
                     root / "applications" / example.__name__)
        server = WebServer(make_application(root), "127.0.0.1", 0)
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                for example in EXAMPLES:
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    example(Visit(context.new_page(), server.url, example.__name__, out), root)
                    context.close()
                browser.close()
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SOURCE_ROOT / "docs" / "examples")
    options = parser.parse_args()
    if not CHROMIUM.is_file():
        print(f"these screenshots need Chromium: {INSTALL_HINT}", file=sys.stderr)
        return 1
    options.out.mkdir(parents=True, exist_ok=True)
    take(options.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
