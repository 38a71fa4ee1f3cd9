"""CODE's colouring: each language's tokens under web2py's names, escaped, line by line."""

import re
from html import unescape

from hypothesis import given
from hypothesis import strategies as st

from server.helpers.highlight import LANGUAGES, STYLES, colour


def span(name, text):
    return f'<span style="{STYLES[name]}">{text}</span>'


def test_python_tokens():
    html = colour('class A(object):\n    """doc"""\n    x = self.y(None)  # c\n    s = "s"',
                  "python")
    assert span("KEYWORD", "class ") + "A" in html
    assert span("MULTILINESTRING", '"""doc"""') in html
    assert span("MAGIC", "self") in html and span("MAGIC", "None") in html
    assert span("COMMENT", "# c") in html and span("STRING", '"s"') in html


def test_web2py_names_are_marked_and_linked_only_when_asked():
    assert span("WEB2PY", "IS_EMAIL") in colour("IS_EMAIL()", "python")
    assert colour("request", "python", link="/examples/vars") == \
        f'<a href="/examples/vars/request" style="{STYLES["WEB2PY"]}">request</a>'
    assert "WEB2PY" not in colour("requests", "python") and "<a" not in colour("requests", "python")


def test_html_with_template_code_and_web2py_views():
    html = colour('<!DOCTYPE html><b class="x">{{=T("hi")}}</b>', "html")
    assert span("XMLCRAP", "&lt;!DOCTYPE html&gt;") in html
    assert span("TAG", "&lt;b ") in html and span("GOTOPYTHON", "{{") in html
    assert span("STRING", '"hi"') in html and span("GOTOHTML", "}}") in html
    plain = colour("<p>{{=x}}</p>", "html_plain")
    assert "GOTOPYTHON" not in plain and "{{=x}}" in plain
    view = colour("for x in y:}}<li>{{=x}}</li>{{pass", "web2py")
    assert view.startswith(span("KEYWORD", "for "))
    assert span("TAG", "&lt;li&gt;") in view


def test_c_and_cpp_keywords_differ():
    c = colour("#include <stdio.h>\nint main() { return 0x1F; }", "c")
    assert span("PREPROCESSOR", "#include &lt;stdio.h&gt;") in c and span("NUMBER", "0x1F") in c
    assert span("KEYWORD", "int ") in c
    cpp = colour("class A { public: virtual int f(); };", "c++")
    assert span("CPPKEYWORD", "class ") in cpp and span("KEYWORD", "int ") in cpp
    assert colour("class A {};", "cpp") == colour("class A {};", "c++")


def test_unknown_language_is_only_escaped():
    assert colour("<b>&", "cobol") == "&lt;b&gt;&amp;"


MARKUP = re.compile(r'<span style="[^"<>]*">|</span>|<a href="[^"<>]*" style="[^"<>]*">|</a>')


@given(st.text(alphabet=st.characters(blacklist_characters="\t\r")), st.sampled_from(LANGUAGES))
def test_any_text_comes_back_whole_inside_escaped_spans(text, language):
    html = colour(text, language)
    text_only = MARKUP.sub("", html)
    assert "<" not in text_only and unescape(text_only) == text
    for line in html.split("\n"):  # every line is whole markup: CODE splits on line ends
        assert line.count("<span") == line.count("</span>")
