"""The Data fetch example in a real browser: the page's script reads the JSON API."""

from __future__ import annotations

import json

from support import fetch


def shown_cities(site) -> list[str]:
    return site.page.locator("#cities tbody td:first-child").all_inner_texts()


def test_the_page_fetches_filters_and_adds_cities(site):
    site.go("default/index")
    status = site.page.get_by_role("status").filter(has_text="cities")
    status.wait_for()
    assert shown_cities(site) == ["Nairobi", "Osaka", "Chicago", "Lisbon", "Bologna"]

    site.page.get_by_label("Search").fill("japan")
    site.page.get_by_text("1 city", exact=True).wait_for()
    assert shown_cities(site) == ["Osaka"]

    site.submit("Add city", Name="Lima", Country="Peru", Population="many")
    assert site.errors(), "a population must be a whole number"
    site.submit("Add city", Name="Lima", Country="Peru", Population="10092000")
    assert site.flash() == "Lima added"
    site.page.get_by_text("6 cities", exact=True).wait_for()
    assert shown_cities(site)[0] == "Lima"


def test_the_json_api(app_server):
    base, _root = app_server("data_fetch")
    answer = fetch(base + "/data_fetch/default/call/json/cities?q=Italy")
    assert answer.headers["Content-Type"].startswith("application/json")
    assert json.loads(answer.body) == {"cities": [
        {"name": "Bologna", "country": "Italy", "population": 390000}]}
