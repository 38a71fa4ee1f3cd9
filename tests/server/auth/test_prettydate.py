"""prettydate: the largest whole unit, past or future."""

import datetime

import pytest

from server.auth.prettydate import prettydate


@pytest.mark.parametrize("delta, text", [
    (datetime.timedelta(seconds=30), "30 seconds ago"),
    (datetime.timedelta(minutes=1, seconds=5), "1 minute ago"),
    (datetime.timedelta(hours=5), "5 hours ago"),
    (datetime.timedelta(days=1, hours=2), "1 day ago"),
    (datetime.timedelta(days=15), "2 weeks ago"),
    (datetime.timedelta(days=65), "2 months ago"),
    (datetime.timedelta(days=800), "2 years ago"),
    (-datetime.timedelta(hours=3, minutes=1), "3 hours from now"),
])
def test_phrases(delta, text):
    assert prettydate(datetime.datetime.now() - delta) == text


def test_dates_translation_and_missing_values():
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    assert prettydate(yesterday) == "1 day ago"
    assert prettydate(yesterday, T=str.upper) == "1 DAY AGO"
    assert prettydate(None) == ""
