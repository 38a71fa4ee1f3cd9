"""server.toolkit.markmin: lists with continuation lines, emails, URLs next to punctuation."""

from server.toolkit.markmin import markmin2html, markmin_escape


def test_list_items_continue_on_indented_lines_and_end_on_plain_ones():
    assert markmin2html("- one\n  more\n- two\nafter") == \
        "<ul><li>one more</li><li>two</li></ul><p>after</p>"


def test_emails_and_urls_in_angle_brackets():
    html = markmin2html("Write to <me@example.org> or see <http://x.org/a>.")
    assert '<a href="mailto:me@example.org">me@example.org</a>' in html
    assert '&lt;<a href="http://x.org/a">http://x.org/a</a>&gt;' in html


def test_escaped_text_renders_as_typed():
    text = "**not bold** and [[no link]]"
    assert markmin2html(markmin_escape(text)) == f"<p>{text}</p>"


def test_pretty_print_breaks_between_tags():
    assert markmin2html("# a\n\nb", pretty_print=True) == "<h1>a</h1>\n<p>b</p>"


def test_sep_br_joins_paragraphs_with_line_breaks_as_web2py():
    assert markmin2html("a\n\nb\n\n- x\n- y\n\nc", sep="br") == \
        "a<br />b<ul><li>x</li><li>y</li></ul>c"
    assert markmin2html("one", sep="br") == "one"


def test_environment_calls_are_made_after_rendering_as_web2py_does():
    from server.toolkit.markmin import markmin2html

    environment = {"probe": lambda text: f"test <i>{text}</i>", "plain": "X",
                   "broken": lambda text: 1 / 0, "bare": lambda text: repr(text)}
    assert markmin2html("**@{probe:1}** <b>", environment=environment) == \
        "<p><strong>test <i>1</i></strong> &lt;b&gt;</p>"
    assert markmin2html("@{plain} @{unknown:x} @{bare}", environment=environment) == \
        "<p>  None</p>"
    assert markmin2html("@{broken:1}", environment=environment) == \
        "<p>ERROR: division by zero</p>"
    assert markmin2html("@{probe:1}") == "<p>@{probe:1}</p>"
