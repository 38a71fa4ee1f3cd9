"""geocode / reverse_geocode against a local stand-in for Google's geocoding API."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from support import LocalHTTPService, closed_port_url

from server.current import current
from server.storage import Storage
from server.toolkit import geocoding

PLACES = {"Piazza del Duomo, Milano": (45.4641, 9.1919)}
ADDRESSES = {"45.4641,9.1919": {"it": "Piazza del Duomo, 20122 Milano MI, Italia",
                                "en": "Piazza del Duomo, 20122 Milan, Italy"}}


def maps(seen):
    def answer(method, path, headers, body):
        query = {key: values[0] for key, values in parse_qs(urlsplit(path).query).items()}
        seen.append(query)
        if "address" in query and query["address"] in PLACES:
            lat, lng = PLACES[query["address"]]
            results = [{"geometry": {"location": {"lat": lat, "lng": lng}}}]
        elif "latlng" in query and query["latlng"] in ADDRESSES:
            results = [{"formatted_address": ADDRESSES[query["latlng"]][query["language"]]}]
        elif query.get("address") == "garbage":
            return 200, "application/json", "<html>"
        else:
            results = []
        return 200, "application/json", json.dumps({"results": results})
    return answer


@pytest.fixture
def google(monkeypatch):
    seen = []
    with LocalHTTPService(maps(seen)) as service:
        monkeypatch.setattr(geocoding, "GEOCODE_URL", service.url + "/geocode/json?key=K")
        yield seen


def test_geocode_finds_coordinates_and_gives_zero_for_the_unknown(google):
    assert geocoding.geocode("Piazza del Duomo, Milano") == (45.4641, 9.1919)
    assert google[0] == {"key": "K", "address": "Piazza del Duomo, Milano"}
    assert geocoding.geocode("Nowhere at all") == (0.0, 0.0)
    assert geocoding.geocode("garbage") == (0.0, 0.0)


def test_reverse_geocode_in_the_visitor_s_language_or_the_one_asked(google):
    current.T = Storage(accepted_language="it")
    try:
        assert geocoding.reverse_geocode(45.4641, 9.1919).endswith("Milano MI, Italia")
    finally:
        del current.T
    assert geocoding.reverse_geocode(45.4641, 9.1919, lang="en").endswith("Milan, Italy")
    assert geocoding.reverse_geocode(45.4641, 9.1919) == "Piazza del Duomo, 20122 Milan, Italy"
    assert geocoding.reverse_geocode(0, 0, "en") == ""


def test_offline_answers_are_web2py_s_defaults(monkeypatch):
    monkeypatch.setattr(geocoding, "GEOCODE_URL", closed_port_url() + "/geocode/json")
    assert geocoding.geocode("Piazza del Duomo, Milano") == (0.0, 0.0)
    assert geocoding.reverse_geocode(1, 2, "en") == ""
