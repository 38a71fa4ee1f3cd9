"""gluon.contrib.feedparser is the maintained feedparser: it reads what rss2 writes."""

from gluon.contrib import feedparser, rss2


def test_parses_an_rss2_document():
    text = rss2.RSS2(title="T", link="http://x/", description="D",
                     items=[rss2.RSSItem(title="One", link="http://x/1")]).to_xml()
    parsed = feedparser.parse(text)
    assert parsed.channel.title == "T" and parsed.entries[0].link == "http://x/1"
