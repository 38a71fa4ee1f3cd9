"""gluon.serializers: json with custom_json, xml with quote=, loads_json, csv, rss."""

import datetime
import decimal

from pydal import DAL, Field

from gluon.html import SPAN
from gluon.serializers import csv, custom_json, json, loads_json, rss, xml


def test_json_handles_dates_decimals_sets_helpers_and_is_script_safe():
    text = json({"d": datetime.date(2020, 1, 2), "n": decimal.Decimal("1.5"), "s": {1},
                 "h": SPAN("x"), "c": "</script>"})
    assert loads_json(text) == {"d": "2020-01-02", "n": 1.5, "s": [1], "h": "<span>x</span>",
                                "c": "</script>"}
    assert "</script>" not in text


def test_custom_json_prefers_the_objects_own_method():
    class Point:
        def custom_json(self):
            return [1, 2]

    assert json({"p": Point()}) == '{"p": [1, 2]}'
    assert custom_json(datetime.datetime(2020, 1, 2, 3, 4, 5)) == "2020-01-02 03:04:05"


def test_xml_document_with_items_and_quote():
    assert xml({"a": 1, "b": [1, "<x>"]}) == ('<?xml version="1.0" encoding="UTF-8"?>'
                                             "<document><a>1</a><b><item>1</item>"
                                             "<item>&lt;x&gt;</item></b></document>")
    assert "&quot;" in xml({"q": '"'}) and "&quot;" not in xml({"q": '"'}, quote=False)
    assert xml([1], key="list").endswith("<list><item>1</item></list>")


def test_csv_of_rows_and_of_lists():
    db = DAL("sqlite:memory")
    db.define_table("t", Field("name"))
    db.t.insert(name="Ann")
    assert csv(db(db.t).select()).splitlines() == ["t.id,t.name", "1,Ann"]
    assert csv([["a", "b"], [1, 2]]).splitlines() == ["a,b", "1,2"]


def test_rss_from_a_feed_dict():
    text = rss({"title": "News", "link": "http://x/", "description": "d",
                "entries": [{"title": "One", "link": "http://x/1", "description": "first"}]})
    assert "<rss version=\"2.0\">" in text and "<title>One</title>" in text
