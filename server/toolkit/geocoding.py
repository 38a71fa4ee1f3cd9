"""web2py's ``geocode(address)`` and ``reverse_geocode(lat, lng, lang=None)``, over Google's
geocoding API (``fetch``). As in web2py they never raise: an address that cannot be found, a
network failure or an answer that cannot be read gives ``(0.0, 0.0)`` and ``""``.

Google now wants a key: ``GEOCODE_URL`` (a module setting) can carry one
(``...json?key=KEY``); tests point it at a local server.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

from server.current import current
from server.toolkit.url_fetch import fetch

GEOCODE_URL = "https://maps.googleapis.com/maps/api/geocode/json"

log = logging.getLogger("pocketweb.geocoding")


def geocode(address: str) -> tuple[float, float]:
    """``(latitude, longitude)`` of ``address``, or ``(0.0, 0.0)`` when it cannot be found."""
    answer = _ask(address=address)
    try:
        location = answer["results"][0]["geometry"]["location"]
        return float(location["lat"]), float(location["lng"])
    except (KeyError, IndexError, TypeError, ValueError):
        return 0.0, 0.0


def reverse_geocode(lat: float, lng: float, lang: str | None = None) -> str:
    """The address nearest ``lat, lng`` in ``lang`` (default: the visitor's language), or ``""``."""
    if not lang:
        lang = getattr(getattr(current, "T", None), "accepted_language", None) or "en"
    answer = _ask(latlng=f"{lat},{lng}", language=lang)
    try:
        return str(answer["results"][0]["formatted_address"])
    except (KeyError, IndexError, TypeError):
        return ""


def _ask(**query) -> dict:
    separator = "&" if "?" in GEOCODE_URL else "?"
    try:
        return json.loads(fetch(GEOCODE_URL + separator + urlencode(query)))
    except (OSError, ValueError) as problem:
        log.warning("geocoding failed: %s", problem)
        return {}
