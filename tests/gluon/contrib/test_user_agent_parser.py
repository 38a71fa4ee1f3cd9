"""gluon.contrib.user_agent_parser: detect() as web2py 3.3.3 answers for the same headers."""

from gluon.contrib.user_agent_parser import detect, parse, simple_detect

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/116.0.0.0 Mobile Safari/537.36")
WINDOWS_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/116.0.0.0 Safari/537.36")
IE11 = "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"


def test_a_phone_is_mobile():
    agent = parse(IPHONE)
    assert agent.is_mobile is True and agent.is_tablet is False
    assert agent.browser.name == "Safari" and agent.browser.version == "16.5"
    assert agent.os.name == "iOS" and agent.dist.name == "iPhone"
    assert parse(ANDROID).is_mobile and not parse(WINDOWS_CHROME).is_mobile


def test_detect_matches_web2py():
    assert detect(IPHONE) == {"platform": {"name": "iOS", "version": "16.5"}, "os": {"name": "iOS"},
                              "bot": False, "dist": {"name": "iPhone", "version": "16.5"},
                              "browser": {"name": "Safari", "version": "16.5"}}
    assert detect(ANDROID)["dist"] == {"name": "Android", "version": "13"}
    assert detect(WINDOWS_CHROME)["os"] == {"name": "Windows", "version": "10"}
    assert detect(IE11)["browser"] == {"name": "Microsoft Internet Explorer", "version": "11.0"}
    assert detect(FIREFOX_LINUX)["platform"] == {"name": "Linux", "version": None}


def test_bots_and_empty_agents():
    assert detect("Googlebot/2.1 (+http://www.google.com/bot.html)") == {
        "platform": {"name": None, "version": None},
        "browser": {"name": "GoogleBot", "version": "2.1"}, "bot": True}
    assert detect("") == {"platform": {"name": None, "version": None}}
    assert parse(None).browser is None


def test_simple_detect():
    assert simple_detect(IPHONE) == ("iPhone iOS 16.5", "Safari 16.5")
    assert simple_detect(WINDOWS_CHROME) == ("Windows 10", "Chrome 116.0.0.0")
    assert simple_detect("") == ("Unknown OS", "Unknown Browser")


def test_mobilize_answers_phones_with_the_mobile_view(root, wsgi_server, http):
    from support import write_app

    write_app(root, "phone", {
        "controllers/default.py": """
            from gluon.contrib.user_agent_parser import mobilize
            @mobilize
            def index():
                return dict()
            @mobilize
            def plain():
                return dict()
        """,
        "views/default/index.html": "desktop page",
        "views/default/index.mobile.html": "mobile page",
        "views/default/plain.html": "only one page",
    })
    base = wsgi_server(root)
    assert http(base + "/phone/default/index", headers={"User-Agent": IPHONE}).text == "mobile page"
    assert http(base + "/phone/default/index", headers={"User-Agent": WINDOWS_CHROME}).text == \
        "desktop page"
    assert http(base + "/phone/default/plain", headers={"User-Agent": IPHONE}).text == \
        "only one page"
