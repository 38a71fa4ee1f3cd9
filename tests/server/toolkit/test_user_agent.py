"""request.user_agent(): web2py's parsed Storage for a User-Agent header."""

from server.toolkit.user_agent import parse

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
IPAD_TABLET = "Mozilla/5.0 (Linux; Android 13; SM-X200 Tablet) AppleWebKit/537.36 Chrome/120.0"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"


def test_a_phone_is_mobile_and_names_its_browser_and_os():
    agent = parse(IPHONE)
    assert agent.is_mobile is True and agent.is_tablet is False
    assert (agent.browser.name, agent.browser.version) == ("Safari", "17.0")
    assert agent.os.name == "iOS" and agent.dist.name == "iPhone" and agent.bot is False


def test_a_desktop_browser_and_a_tablet():
    desktop = parse(FIREFOX)
    assert not desktop.is_mobile and desktop.browser.name == "Firefox"
    assert desktop.platform.name == "Linux" and desktop.missing is None
    assert parse(IPAD_TABLET).is_tablet is True


def test_no_header_gives_empty_answers():
    agent = parse("")
    assert agent.browser is None and agent.platform.name is None and not agent.is_mobile
