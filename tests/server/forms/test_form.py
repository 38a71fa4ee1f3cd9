"""FORM: validation through ``requires``, single-use CSRF keys, accessible error markup."""

from form_support import post
from pydal.validators import IS_INT_IN_RANGE, IS_NOT_EMPTY
from yatl.helpers import INPUT, LABEL, OPTION, SELECT, TEXTAREA

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
    post("default", name=["x", "y"], age=["1", "2"])
    form = make_form().process()
    assert form.accepted and form.vars.name == "y" and form.vars.age == 2


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
