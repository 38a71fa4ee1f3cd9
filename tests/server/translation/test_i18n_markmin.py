"""T.M: markmin messages, translated, rendered, with their symbols escaped (the expected HTML
is what web2py's T.M gives for the same message)."""

from server.helpers import DIV
from server.translation.i18n import Translator


def test_markmin_message_is_rendered_with_escaped_symbols(tmp_path):
    T = Translator(tmp_path, None)  # noqa: N806 - web2py's name
    message = T.M("**hi** %s", ("<x>",))
    assert str(message) == "<strong>hi</strong> &lt;x&gt;" == message.xml()
    assert DIV(message).xml() == "<div><strong>hi</strong> &lt;x&gt;</div>"
    assert str(T.M("line one\n\nline two [[link http://x.com]]")) == \
        'line one<br />line two <a href="http://x.com">link</a>'


def test_markmin_message_uses_the_translation(tmp_path):
    (tmp_path / "it.py").write_text("{'**Hello** %s': '**Ciao** %s'}\n", encoding="utf-8")
    T = Translator(tmp_path, "it")  # noqa: N806 - web2py's name
    assert str(T.M("**Hello** %s", ("Ann",))) == "<strong>Ciao</strong> Ann"
    assert T.M("''x''", lazy=False) == "<em>x</em>"
    assert str(T.M("%(who)s *", dict(who="<b>")) ) == "&lt;b&gt; *"
