"""gluon.contrib.rss2: PyRSS2Gen's API, as the examples app's rss_aggregator uses it."""

import datetime
import xml.dom.minidom

import pytest

from gluon.contrib import rss2


def test_a_feed_with_items_is_well_formed_rss():
    feed = rss2.RSS2(title="News & more", link="http://x/", description="d",
                     lastBuildDate=datetime.datetime(2020, 1, 2, 3, 4, 5),
                     items=[rss2.RSSItem(title="One", link="http://x/1", description="<b>1</b>",
                                         guid=rss2.Guid("http://x/1"),
                                         pubDate=datetime.datetime(2020, 1, 1),
                                         categories=["a"])])
    text = feed.to_xml(encoding="utf-8")
    document = xml.dom.minidom.parseString(text)
    channel = document.getElementsByTagName("channel")[0]
    assert channel.getElementsByTagName("title")[0].firstChild.data == "News & more"
    assert "Thu, 02 Jan 2020 03:04:05 GMT" in text
    item = document.getElementsByTagName("item")[0]
    assert item.getElementsByTagName("description")[0].firstChild.data == "<b>1</b>"
    assert item.getElementsByTagName("guid")[0].getAttribute("isPermaLink") == "true"


def test_an_item_needs_a_title_or_description():
    with pytest.raises(TypeError):
        rss2.RSSItem(link="http://x/")
