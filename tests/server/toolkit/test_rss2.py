"""server.toolkit.rss2: dates in RFC 822, GMT, whatever their time zone."""

import datetime

from server.toolkit.rss2 import rfc822


def test_aware_and_naive_datetimes():
    aware = datetime.datetime(2020, 1, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert rfc822(aware) == "Wed, 01 Jan 2020 10:00:00 GMT"
    assert rfc822(datetime.datetime(2020, 1, 1, 12, 0)) == "Wed, 01 Jan 2020 12:00:00 GMT"
    assert rfc822("already text") == "already text"
