"""Debian's Chromium, headless, through playwright: shared by the browser tests and the
screenshot scripts. playwright's own browser download (``playwright install``) is never used."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "apt-get install -y chromium"
# Nothing but the pages under test may reach the network: no updates, sync or QUIC probes.
ARGUMENTS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def launch(playwright):
    """A headless Chromium; playwright gives every launch a fresh temporary profile."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTS,
                                      headless=True)
