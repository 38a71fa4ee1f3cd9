"""FORM: validation through ``requires``, single-use CSRF keys, accessible error markup."""

from form_support import post
from pydal.validators import IS_IN_SET, IS_INT_IN_RANGE, IS_NOT_EMPTY
from yatl.helpers import BUTTON, DIV, INPUT, LABEL, OPTION, SELECT, TAGGER, TEXTAREA, P

from server.forms import FORM
from server.storage import Storage


def make_form():
    return FORM(
        LABEL("Name", _for="name"), INPUT(_name="name", _id="name", requires=IS_NOT_EMPTY()),
        LABEL("Age", _for="age"), INPUT(_name="age", _id="age", requires=IS_INT_IN_RANGE(0, 150)),
        SELECT(OPTION("a"), OPTION("b"), _name="pick"),
        INPUT(_type="submit"),
    )


def test_get_renders_formname_and_a_key_kept_in_session(web):
    form = make_form().process()
    html = form.xml()
    assert not form.accepted and not form.errors
    keys = web.session["_formkey[default]"]
    assert len(keys) == 1
    assert f'name="_formkey" type="hidden" value="{keys[0]}"' in html
    assert 'name="_formname" type="hidden" value="default"' in html


def test_valid_post_is_accepted_with_converted_vars_and_flash(web):
    make_form().process()
    post("default", name="Ann", age="42", pick="b")
    form = make_form().process()
    assert form.accepted
    assert form.vars.name == "Ann" and form.vars.age == 42 and form.vars.pick == "b"
    assert web.response.flash == "Success!"


def test_errors_are_placed_after_their_control_bound_and_first_focused(web):
    make_form().process()
    post("default", name="", age="old")
    form = make_form().process()
    html = form.xml()
    assert not form.accepted
    assert set(form.errors) == {"name", "age"}
    assert ('aria-describedby="name__error" aria-invalid="true" autofocus="autofocus" '
            'id="name"') in html
    assert 'id="name__error" role="alert">Enter a value</div>' in html
    assert 'aria-describedby="age__error" aria-invalid="true" id="age"' in html
    assert html.count("autofocus=") == 1
    assert 'value="old"' in html  # the bad value is shown again for correction
    assert web.response.flash == "Errors in form, please check it out."


def test_missing_forged_and_replayed_keys_are_not_accepted(web):
    make_form().process()
    good_key = web.session["_formkey[default]"][-1]
    for key in (None, "forged-key"):
        values = Storage(_formname="default", name="Ann", age="1")
        if key:
            values._formkey = key
        web.request.post_vars = values
        form = make_form().process()
        assert not form.accepted and form.expired
        assert "already submitted or has expired" in form.xml()
        assert 'value="Ann"' in form.xml()  # what was typed is not lost
    web.request.post_vars = Storage(_formname="default", _formkey=good_key, name="A", age="1")
    assert make_form().process().accepted
    web.request.post_vars = Storage(_formname="default", _formkey=good_key, name="A", age="1")
    assert not make_form().process().accepted  # replayed


def test_post_for_another_form_is_ignored(web):
    make_form().process()
    post("default", name="Ann", age="1")
    web.request.post_vars._formname = "other"
    form = make_form().process()
    assert not form.accepted and not form.errors


def test_accepts_with_request_object_and_onvalidation_error(web):
    make_form().process()
    post("default", name="Ann", age="1")

    def refuse(form):
        form.errors.name = "taken"

    form = make_form()
    assert not form.accepts(web.request, web.session, onvalidation=refuse)
    assert 'id="name__error" role="alert">taken</div>' in form.xml()


def test_list_value_for_single_input_takes_the_last(web):
    make_form().process()
    post("default", name=["x", "y", "z"], age=["1", "2", "3"])
    form = make_form().process()
    assert form.accepted and form.vars.name == "z" and form.vars.age == 3


def test_validator_crash_is_an_error_on_its_field_not_an_exception(web):
    def crashes(value, record_id=None):
        raise TypeError("hostile input")

    def never_reached(value, record_id=None):
        raise AssertionError("validators after a crash must not run")

    def build():
        return FORM(INPUT(_name="name", requires=[crashes, never_reached]),
                    INPUT(_name="age", requires=IS_INT_IN_RANGE(0, 150)))

    build().process()
    post("default", name="Ann", age="7")
    form = build().process()
    assert not form.accepted
    assert form.errors == {"name": "Invalid value"}
    assert form.vars == {"age": 7}
    assert 'id="name__error" role="alert">Invalid value</div>' in form.xml()


def test_form_posts_to_itself_as_multipart_by_default(web):
    assert FORM().xml().startswith(
        '<form action="" enctype="multipart/form-data" method="post">')
    own = FORM(_action="/x", _method="get", _enctype="text/plain").xml()
    assert own.startswith('<form action="/x" enctype="text/plain" method="get">')


def test_validate_returns_bool_and_next_redirects_with_session_flash(web):
    import pytest

    from server.http import HTTP

    make_form().process()
    post("default", name="Ann", age="3")
    with pytest.raises(HTTP) as answer:
        make_form().process(next="/app/default/show/[age]")
    assert answer.value.status == 303 and answer.value.headers["Location"] == "/app/default/show/3"
    assert web.session.flash == "Success!"
    post("default", name="", age="3")
    assert make_form().validate() is False


def test_a_bare_next_names_a_function_of_this_controller(web):
    import pytest

    from server.http import HTTP

    web.request.update(application="app", controller="default", function="edit", args=["x"])
    make_form().process()
    post("default", name="Ann", age="7")
    with pytest.raises(HTTP) as answer:
        make_form().process(next="show/[age]")
    assert answer.value.headers["Location"] == "/app/default/show/7"


def test_add_button_and_custom_parts(web):
    form = make_form()
    form.add_button("Back", "/app/default/index")
    form.process()
    html = form.xml()
    assert '<input type="submit"/><a class="btn btn-secondary w2p-form-button" ' \
        'href="/app/default/index" role="button">Back</a>' in html
    assert str(form.custom.begin).startswith("<form ")
    assert str(form.custom.end).endswith("</form>") and "_formkey" in str(form.custom.end)


def test_session_none_turns_the_key_off_and_messages_can_be_silenced(web):
    web.request.post_vars = Storage(_formname="default", name="Ann", age="1")
    form = make_form().process(session=None, message_onsuccess="")
    assert form.accepted and web.response.flash == ""
    assert "_formkey[default]" not in web.session
    assert "_formkey" not in form.xml()


def test_value_keyword_sets_what_controls_show_first():
    form = FORM(INPUT(_name="a", value="x"), INPUT(_name="b", _type="checkbox", value=True),
                SELECT(OPTION("p"), OPTION("q"), _name="c", value="q"),
                TEXTAREA(_name="d", value="<t>"))
    html = form.xml()
    assert '<input name="a" value="x"/>' in html
    assert '<input checked="checked" name="b" type="checkbox"/>' in html
    assert '<option selected="selected">q</option>' in html
    assert '<textarea name="d">&lt;t&gt;</textarea>' in html


def test_confirm_is_a_one_button_form_with_a_key(web):
    form = FORM.confirm("Really?", {"Back": "/app/default/index"})
    html = form.xml()
    assert '<input type="submit" value="Really?" />' in html
    assert 'href="/app/default/index" role="button">Back</a>' in html
    assert not form.accepted
    post("confirm")
    assert FORM.confirm("Really?").accepted


def test_fill_placeholders_replaces_plain_and_url_quoted_names():
    from server.forms.form import fill_placeholders

    assert fill_placeholders("/show/[id]?n=[name]", {"id": 7, "name": "a b"}) == "/show/7?n=a%20b"
    assert fill_placeholders("/show/%5Bid%5D", {"id": 7}) == "/show/7"
    assert fill_placeholders("/show/[other]", {"id": 7}) == "/show/[other]"


def test_messages_go_through_the_apps_translator(web):
    web.T = lambda text: f"<{text}>"
    try:
        make_form().process()
        post("default", name="", age="1")
        make_form().process()
        assert web.response.flash == "<Errors in form, please check it out.>"
    finally:
        del web.T


def test_a_session_keeps_the_last_ten_keys_of_a_form(web):
    forms = [make_form().process() for _ in range(12)]
    keys = web.session["_formkey[default]"]
    assert keys == [form.formkey for form in forms[-10:]]
    web.request.post_vars = Storage(_formname="default", _formkey=forms[1].formkey, name="A", age="1")
    assert not make_form().process().accepted  # pushed out by newer keys
    web.request.post_vars = Storage(_formname="default", _formkey=forms[5].formkey, name="A", age="1")
    assert make_form().process().accepted  # another tab's key still works


def test_posted_values_are_shown_again_in_every_kind_of_control(web):
    def build():
        return FORM(INPUT(_name="text", requires=IS_NOT_EMPTY()), INPUT(_name="secret", _type="password"),
                    TEXTAREA(_name="notes"), INPUT(_name="agree", _type="checkbox", _value="yes"),
                    INPUT(_name="size", _type="radio", _value="s"),
                    INPUT(_name="size", _type="radio", _value="m"),
                    SELECT(OPTION("x"), OPTION("Why", _value="y"), OPTION("z"), _name="many",
                           _multiple=True))

    build().process()
    post("default", text="", secret="pw", notes="<hi>", agree="yes", size="m", many=["y", "z", ""])
    html = build().process().xml()
    assert '<input aria-describedby="text__error" aria-invalid="true" autofocus="autofocus" ' \
        'name="text" value=""/>' in html
    assert '<input name="secret" type="password"/>' in html
    assert '<textarea name="notes">&lt;hi&gt;</textarea>' in html
    assert '<input checked="checked" name="agree" type="checkbox" value="yes"/>' in html
    assert '<input name="size" type="radio" value="s"/>' in html
    assert '<input checked="checked" name="size" type="radio" value="m"/>' in html
    assert '<option>x</option><option selected="selected" value="y">Why</option>' \
        '<option selected="selected">z</option>' in html


def test_multiple_select_posts_a_list_without_blanks(web):
    def build():
        return FORM(SELECT(OPTION("a"), OPTION("b"), _name="pick", _multiple=True))

    build().process()
    post("default", pick=["a", "", "b"])
    form = build().process()
    assert form.accepted and form.vars.pick == ["a", "b"]


def test_keepvalues_shows_the_accepted_values_again(web):
    make_form().process()
    post("default", name="Ann", age="5")
    kept = make_form().process(keepvalues=True)
    assert kept.accepted and 'value="Ann"' in kept.xml()
    post("default", name="Bob", age="5")
    fresh = make_form().process()
    assert fresh.accepted and 'value="Bob"' not in fresh.xml()


def test_hideerror_keeps_the_errors_out_of_the_markup(web):
    make_form().process()
    post("default", name="", age="1")
    form = make_form().process(hideerror=True)
    assert form.errors == {"name": "Enter a value"}
    assert "__error" not in form.xml() and "aria-invalid" not in form.xml()


def test_onvalidation_dict_and_callbacks_for_success_and_failure(web):
    seen = []
    make_form().process()
    post("default", name="Ann", age="1")
    form = make_form().process(onvalidation={"onsuccess": lambda f: seen.append("ok"),
                                             "onfailure": lambda f: seen.append("bad")},
                               onsuccess=lambda f: seen.append("accepted"))
    assert form.accepted and seen == ["ok", "accepted"]
    post("default", name="", age="1")
    form = make_form().process(onvalidation={"onsuccess": lambda f: seen.append("ok"),
                                             "onfailure": lambda f: seen.append("bad")},
                               onfailure=lambda f: seen.append("refused"))
    assert not form.accepted and seen == ["ok", "accepted", "bad", "refused"]
    assert web.response.flash is None  # callbacks instead of the flash


def test_onvalidation_may_be_a_list_of_callbacks_called_in_order(web):
    seen = []
    make_form().process()
    post("default", name="Ann", age="1")
    form = make_form().process(onvalidation=[lambda f: seen.append(1), lambda f: seen.append(2)])
    assert form.accepted and seen == [1, 2]
    post("default", name="", age="1")
    form = make_form().process(onvalidation={"onfailure": [lambda f: seen.append("bad")]})
    assert not form.accepted and seen == [1, 2, "bad"]


def test_errors_of_no_control_go_on_top_of_the_form(web):
    make_form().process()
    post("default", name="Ann", age="1")

    def refuse(form):
        form.errors.total = "the sum is wrong"

    form = make_form().process(onvalidation=refuse)
    assert not form.accepted
    assert form.xml().startswith(
        '<form action="" enctype="multipart/form-data" method="post"><div class="error" '
        'id="total__error" role="alert">the sum is wrong</div>')
    assert web.response.flash == "Errors in form, please check it out."


def test_formname_none_accepts_any_post_without_a_key(web):
    web.request.post_vars = Storage(name="Ann", age="3")
    form = make_form().process(formname=None)
    assert form.accepted and form.vars.age == 3
    assert "_formname" not in form.xml() and "_formkey" not in form.xml()


def test_hidden_values_element_lookup_and_custom_submit(web):
    form = FORM(INPUT(_name="q", _id="q"), INPUT(_type="submit", _value="Go"), hidden={"page": 2})
    form.process()
    assert '<input name="page" type="hidden" value="2" />' in form.xml()
    assert form.element("input[name=q]")["_id"] == "q"
    assert form.element("textarea") is None
    assert len(form.elements("input")) == 2
    assert str(form.custom.submit) == '<input type="submit" value="Go"/>'
    assert str(form.custom.begin) == \
        '<form action="" enctype="multipart/form-data" method="post">'


def test_add_button_without_a_submit_goes_at_the_end(web):
    form = FORM(INPUT(_name="q"))
    form.add_button("Cancel", "/back", _class="link")
    assert form.xml().startswith(
        '<form action="" enctype="multipart/form-data" method="post"><input name="q"/>'
        '<a class="link" href="/back" role="button">Cancel</a>')


def test_a_form_is_a_web2py_helper_with_add_class_and_remove_class():
    """Sahana Eden dresses auth.login()'s form with ``form.add_class('auth_login')``."""
    form = FORM(INPUT(_name="a"), _class="one")
    assert form.add_class("auth_login two") is form
    assert form["_class"] == "one auth_login two"
    form.remove_class("one")
    assert 'class="auth_login two"' in form.xml()


# ----- what the mutation run showed unpinned ----------------------------------------------------

def test_validators_run_in_order_and_each_gets_the_record_id():
    from server.forms.form import run_validators

    def own_record(value, record_id):
        return value, None if record_id == 7 else f"not record {record_id}"

    assert run_validators([IS_NOT_EMPTY(), IS_INT_IN_RANGE(0, 10)], "5") == (5, None)
    assert run_validators((IS_INT_IN_RANGE(0, 10), IS_INT_IN_RANGE(4, 6)), "3")[1] == \
        "Enter an integer between 4 and 5"
    assert run_validators(own_record, "a", record_id=7) == ("a", None)
    assert run_validators([own_record], "a", record_id=8) == ("a", "not record 8")


def test_next_takes_the_first_of_a_list_and_keeps_full_addresses(web):
    from server.forms.form import resolve_next

    web.request.update(application="app", controller="default", function="edit")
    assert resolve_next(["/app/show/[id]", "/other"], {"id": 4}) == "/app/show/4"
    assert resolve_next("http://example.com/[id]", {"id": 4}) == "http://example.com/4"
    assert resolve_next("https://example.com/[id]", {"id": 4}) == "https://example.com/4"
    assert resolve_next([], {}) == resolve_next("", {}) == "/app/default/edit"


def test_controls_inside_other_helpers_and_named_buttons_are_validated():
    form = FORM(DIV(P(INPUT(_name="deep", requires=IS_NOT_EMPTY()))),
                BUTTON("Go", _name="go", _value="1", _type="submit"))
    assert not form.accepts(Storage(deep="", go="1"), formname=None)
    assert form.errors == {"deep": "Enter a value"}
    assert form.accepts(Storage(deep="x", go="1"), formname=None)
    assert form.vars == {"deep": "x", "go": "1"}


def test_a_control_not_posted_or_posted_empty_reads_as_an_empty_string():
    form = FORM(INPUT(_name="a"), INPUT(_name="b"))
    assert form.accepts(Storage(b=[]), formname=None)
    assert form.vars == {"a": "", "b": ""}


def test_same_named_text_inputs_each_show_their_own_posted_value(web):
    def build():
        return FORM(INPUT(_name="t"), INPUT(_name="t", _type="text"),
                    INPUT(_name="must", requires=IS_NOT_EMPTY()))

    build().process()
    post("default", t=["a", "b"], must="")
    html = build().process().xml()
    assert '<input name="t" value="a"/><input name="t" type="text" value="b"/>' in html

    def three():
        return FORM(INPUT(_name="t"), INPUT(_name="t"), INPUT(_name="t"), INPUT(_name="one"),
                    INPUT(_name="must", requires=IS_NOT_EMPTY()))

    three().process()
    post("default", t=["a"], one=["x", "y"], must="")
    html = three().process().xml()
    assert '<input name="t" value="a"/><input name="t" value=""/><input name="t" value=""/>' \
        '<input name="one" value="y"/>' in html


def test_same_named_checkboxes_are_each_checked_when_posted(web):
    def build():
        return FORM(INPUT(_name="c", _type="checkbox", _value="a"),
                    INPUT(_name="c", _type="checkbox", _value="b"),
                    INPUT(_name="c", _type="checkbox", _value="z"),
                    INPUT(_name="must", requires=IS_NOT_EMPTY()))

    build().process()
    post("default", c=["a", "b"], must="")
    html = build().process().xml()
    assert '<input checked="checked" name="c" type="checkbox" value="a"/>' in html
    assert '<input checked="checked" name="c" type="checkbox" value="b"/>' in html
    assert '<input name="c" type="checkbox" value="z"/>' in html


def test_buttons_and_file_inputs_never_show_a_posted_value(web):
    def build():
        return FORM(INPUT(_name="s", _type="submit", _value="Save"),
                    INPUT(_name="b", _type="button", _value="Help"),
                    INPUT(_name="i", _type="image", _src="/go.png"),
                    INPUT(_name="f", _type="file"),
                    INPUT(_name="must", requires=IS_NOT_EMPTY()))

    build().process()
    post("default", s="forged", b="forged", i="forged", f="forged", must="")
    html = build().process().xml()
    assert "forged" not in html
    assert '<input name="s" type="submit" value="Save"/>' in html
    assert '<input name="b" type="button" value="Help"/>' in html
    assert '<input name="i" src="/go.png" type="image"/>' in html
    assert '<input name="f" type="file"/>' in html


def test_an_option_without_value_is_matched_by_its_whole_text(web):
    def build():
        return FORM(SELECT(OPTION("Big ", "one"), OPTION("small"), _name="size"),
                    INPUT(_name="must", requires=IS_NOT_EMPTY()))

    build().process()
    post("default", size="Big one", must="")
    assert '<option selected="selected">Big one</option>' in build().process().xml()


def test_a_given_value_attribute_wins_over_value_except_for_choices():
    form = FORM(INPUT(_name="a", _value="own", value="x"),
                INPUT(_name="b", _type="checkbox", _value="yes", value="yes"),
                INPUT(_name="e", value=[]), TEXTAREA(_name="t", value=[]))
    html = form.xml()
    assert '<input name="a" value="own"/>' in html
    assert '<input checked="checked" name="b" type="checkbox" value="yes"/>' in html
    assert '<input name="e" value=""/>' in html and '<textarea name="t"></textarea>' in html
    radios = FORM(INPUT(_name="r", _type="radio", _value="s", value="m"),
                  INPUT(_name="r", _type="radio", _value="m", value="m")).xml()
    assert '<input name="r" type="radio" value="s"/>' \
        '<input checked="checked" name="r" type="radio" value="m"/>' in radios


def test_a_fresh_form_is_neither_accepted_nor_named_and_has_empty_results():
    form = FORM(INPUT(_name="q"))
    assert form.name == "form"
    assert (form.accepted, form.expired, form.record_changed) == (False, False, False)
    assert (form.formname, form.formkey) == (None, None)
    assert (form.errors, form.vars, form.request_vars, form.error_messages) == ({}, {}, {}, {})
    assert form.errors.q is None and form.vars.q is None
    assert form.xml() == ('<form action="" enctype="multipart/form-data" method="post">'
                          '<input name="q"/><div style="display:none;"></div></form>')


def test_confirm_defaults_to_ok_styles_its_links_keeps_hidden_values_and_flashes_nothing(web):
    form = FORM.confirm(buttons={"Back": "/back"}, hidden={"id": 3})
    html = form.xml()
    assert '<input type="submit" value="OK" />' in html
    assert '<a class="btn w2p-form-button" href="/back" role="button">Back</a>' in html
    assert '<input name="id" type="hidden" value="3" />' in html
    assert '<input name="_formname" type="hidden" value="confirm" />' in html
    web.response.flash = "before"
    web.request.post_vars = Storage(anything="1")  # not this form's post: no key, no name
    assert not FORM.confirm().accepted
    post("confirm")
    assert FORM.confirm().accepted and web.response.flash == ""


def test_the_expired_and_changed_record_notices_say_what_happened():
    form = FORM()
    form.expired = True
    assert form.expired_notice().xml() == (
        '<div class="w2p_form_expired error" role="alert">This form was already submitted or '
        'has expired; please submit it again</div>')
    form.expired, form.record_changed = False, True
    assert form.expired_notice().xml() == (
        '<div class="w2p_form_expired error" role="alert">Someone else changed this record '
        'since you opened it; please check it again</div>')


def test_add_button_goes_right_after_the_first_submit_even_nested_or_a_button(web):
    form = FORM(DIV(INPUT(_name="q"), INPUT(_type="submit", _value="Go"), INPUT(_name="r")),
                INPUT(_name="s"))
    form.add_button("Back", "/back")
    assert '<input type="submit" value="Go"/><a class="btn btn-secondary w2p-form-button" ' \
        'href="/back" role="button">Back</a><input name="r"/></div><input name="s"/>' \
        in form.xml()
    form = FORM(BUTTON("Send", _type="submit"), INPUT(_name="after"))
    form.add_button("Back", "/back", _class="link")
    assert '<button type="submit">Send</button><a class="link" href="/back" role="button">' \
        'Back</a><input name="after"/>' in form.xml()
    form = FORM(INPUT(_name="typed", _type="text"), BUTTON("Plain"), INPUT(_name="after"))
    form.add_button("Back", "/back", _class="link")
    assert form.xml().endswith('<input name="after"/><a class="link" href="/back" '
                               'role="button">Back</a><div style="display:none;"></div></form>')


def test_element_and_elements_take_attribute_keywords():
    form = FORM(INPUT(_name="q", _id="first"), INPUT(_name="q", _id="second"), INPUT(_name="r"))
    assert form.element(_name="q")["_id"] == "first"
    assert [e["_id"] for e in form.elements(_name="q")] == ["first", "second"]


def test_onvalidation_sees_a_form_not_yet_accepted(web):
    seen = []
    make_form().process()
    post("default", name="Ann", age="1")
    assert make_form().process(onvalidation=lambda f: seen.append(f.accepted)).accepted
    assert seen == [False]


class DbioRecorder(FORM):
    """A subclass as SQLFORM is one: ``_on_accepted`` learns whether to do database io."""

    def _on_accepted(self, dbio):
        self.dbio = dbio
        return True


def test_process_and_accepts_ask_for_database_io_and_validate_does_not(web):
    for run, expected in ((lambda f: f.process().accepted, True), (lambda f: f.validate(), False),
                          (lambda f: f.accepts(web.request.post_vars, web.session), True),
                          (lambda f: f.process(dbio=False).accepted, False)):
        DbioRecorder(INPUT(_name="a")).process()
        post("default", a="x")
        form = DbioRecorder(INPUT(_name="a"))
        assert run(form) is True
        assert form.dbio is expected
        assert (form.expired, form.record_changed) == (False, False)


def test_skipped_names_keys_and_repeated_names_are_validated_once_or_not_at_all():
    calls = []

    def counted(value, record_id=None):
        calls.append(value)
        return value, None

    form = FORM(INPUT(_name="size", _type="radio", _value="s", requires=counted),
                INPUT(_name="size", _type="radio", _value="m", requires=counted),
                INPUT(_name="_formname", _type="hidden", _value="x", requires=IS_INT_IN_RANGE(0, 1)),
                INPUT(_name="_formkey", _type="hidden", _value="k", requires=IS_INT_IN_RANGE(0, 1)),
                INPUT(_name="elsewhere", requires=IS_NOT_EMPTY()),
                INPUT(_name="last", requires=IS_NOT_EMPTY()))
    form._validate(Storage(size="m", _formname="x", _formkey="k", elsewhere="", last=""),
                   skip=frozenset({"elsewhere"}))
    assert calls == ["m"]
    assert form.vars == {"size": "m"} and form.errors == {"last": "Enter a value"}


def test_a_form_processed_outside_a_request_is_simply_not_accepted(monkeypatch):
    from server.current import current

    monkeypatch.delattr(current, "request", raising=False)
    monkeypatch.delattr(current, "session", raising=False)
    form = FORM(INPUT(_name="a")).process()
    assert not form.accepted and form.formkey is None


class Captcha(TAGGER):
    """A helper that checks the post itself, as web2py's Recaptcha2 does."""

    def __init__(self):
        super().__init__("div")

    def _validate(self):
        if self.request_vars.get("answer") == "4":
            self.vars.answer = 4
        else:
            self.errors.answer = "wrong answer"


def test_helpers_with_their_own_validate_see_the_post_and_add_to_the_results():
    def build():
        return FORM(INPUT(_name="a"), DIV(P("solve 2+2"), Captcha()))

    form = build()
    assert form.accepts(Storage(a="x", answer="4"), formname=None)
    assert form.vars == {"a": "x", "answer": 4}
    form = build()
    assert not form.accepts(Storage(a="x", answer="5"), formname=None)
    assert form.errors == {"answer": "wrong answer"}


def test_accepts_takes_a_request_a_dict_with_post_vars_or_a_plain_dict():
    from types import SimpleNamespace

    def build():
        return FORM(INPUT(_name="a", requires=IS_NOT_EMPTY()))

    form = build()
    assert form.accepts(SimpleNamespace(post_vars=Storage(a="x")), formname=None)
    assert form.vars == {"a": "x"}
    form = build()
    assert form.accepts({"post_vars": {"a": "y"}}, formname=None) and form.vars == {"a": "y"}
    form = build()
    assert form.accepts({"a": "z"}, formname=None) and form.vars == {"a": "z"}
    assert not build().accepts(None, formname=None)
    form = build()
    assert not form.accepts({"a": ""}, formname=None)
    assert '<div class="error" id="a__error" role="alert">Enter a value</div>' in form.xml()


def test_using_one_key_leaves_the_other_tabs_keys_valid(web):
    tabs = [make_form().process() for _ in range(3)]
    for tab in (tabs[0], tabs[2]):
        web.request.post_vars = Storage(_formname="default", _formkey=tab.formkey, name="A",
                                        age="1")
        assert make_form().process().accepted


def test_the_id_and_underscore_names_are_never_shown_from_the_post(web):
    def build():
        return FORM(INPUT(_name="id", _value="7"), INPUT(_name="_hidden", _value="h"),
                    INPUT(_name="shown"), INPUT(_name="must", requires=IS_NOT_EMPTY()))

    build().process()
    post("default", id="99", _hidden="forged", shown="kept", must="")
    html = build().process().xml()
    assert '<input name="id" value="7"/><input name="_hidden" value="h"/>' \
        '<input name="shown" value="kept"/>' in html


def test_a_control_left_out_of_the_post_shows_empty_again(web):
    def build():
        return FORM(INPUT(_name="absent", _value="old"), INPUT(_name="must", requires=IS_NOT_EMPTY()))

    build().process()
    post("default", must="")
    assert '<input name="absent" value=""/>' in build().process().xml()


def test_each_error_follows_its_control_once_with_the_controls_id(web):
    def build():
        return FORM(INPUT(_name="n", _id="field-n", requires=IS_NOT_EMPTY()),
                    SELECT(OPTION("a"), _name="pick", requires=IS_IN_SET(["a"])),
                    TEXTAREA(_name="notes", requires=IS_NOT_EMPTY()),
                    INPUT(_name="r", _type="radio", _value="1", requires=IS_NOT_EMPTY()),
                    INPUT(_name="r", _type="radio", _value="2"),
                    BUTTON("Go", _name="go", _type="submit"))

    def refuse_go(form):
        form.errors.go = "not now"

    build().process()
    post("default", n="", pick="zz", notes="", go="1")
    form = build().process(onvalidation=refuse_go)
    html = form.xml()
    assert html.startswith('<form action="" enctype="multipart/form-data" method="post">'
                           '<div class="error" id="go__error" role="alert">not now</div>'
                           '<input aria-describedby="field-n__error" aria-invalid="true" '
                           'autofocus="autofocus" id="field-n" name="n" value=""/>'
                           '<div class="error" id="field-n__error" role="alert">Enter a value'
                           '</div><select aria-describedby="pick__error" aria-invalid="true" '
                           'name="pick"><option>a</option></select><div class="error" '
                           'id="pick__error" role="alert">Value not allowed</div>'
                           '<textarea aria-describedby="notes__error" aria-invalid="true" '
                           'name="notes"></textarea><div class="error" id="notes__error" '
                           'role="alert">Enter a value</div>')
    assert html.count('id="r__error"') == 1
    assert form.error_messages["n"].xml() == (
        '<div class="error" id="field-n__error" role="alert">Enter a value</div>')


def test_callbacks_get_the_form_and_a_missing_response_gets_no_flash(web, monkeypatch):
    from server.current import current

    seen = []
    make_form().process()
    post("default", name="Ann", age="1")
    form = make_form().process(onsuccess=seen.append)
    assert seen == [form]
    monkeypatch.delattr(current, "response")
    post("default", name="Ann", age="1")
    assert make_form().process().accepted
