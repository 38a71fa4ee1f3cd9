"""The auth tables' rules: passwords of at least eight characters, IS_STRONG offered."""

from __future__ import annotations

from support import write_app


def test_new_passwords_need_eight_characters_and_is_strong_is_there(live_site):
    from server.execution import BASE_GLOBALS

    answer = live_site.register(password="seven77")
    assert answer.status == 200 and "Minimum length is 8" in answer.text
    assert live_site.register(password="eight888").status == 303
    assert "IS_STRONG" in BASE_GLOBALS


PLACES_MODEL = '''
db = DAL("sqlite://storage.sqlite")
auth = Auth(db)
prefix = request.vars.prefix or "auth"
for kind in ("user", "group", "membership", "permission", "event", "cas"):
    auth.settings["table_%s_name" % kind] = "%s_%s" % (prefix, kind)
if request.vars.extra:
    auth.settings.extra_fields[prefix + "_user"] = [Field(request.vars.extra)]
auth.define_tables(username=bool(request.vars.username))
'''
PLACES_CONTROLLER = '''
def fields():
    user, member = auth.table_user(), db[auth.settings.table_membership_name]
    return "%s: %s | %s %s" % (user._tablename, " ".join(user.fields), member.user_id.type,
                               sorted(db.tables) == sorted(t for t in db.tables if t.startswith(
                                   request.vars.prefix or "auth")))
'''


def test_each_requests_tables_follow_its_own_settings(root, wsgi_server, http):
    """define_all's steps are made once per set-up: requests of one app that name other
    tables, ask for a username or add a field each get their own, again and again."""
    write_app(root, "app", {"models/db.py": PLACES_MODEL,
                            "controllers/default.py": PLACES_CONTROLLER})
    base = wsgi_server(root) + "/app/default/fields"
    columns = "first_name last_name email %spassword registration_key reset_password_key " \
              "registration_id%s"
    expected = {
        "": "auth_user: id " + columns % ("", "") + " | reference auth_user True",
        "?prefix=a&username=1": "a_user: id " + columns % ("username ", "") +
                                " | reference a_user True",
        "?prefix=b&extra=nickname": "b_user: id " + columns % ("", " nickname") +
                                    " | reference b_user True",
    }
    for _ in range(3):  # the first round makes the steps, the later ones reuse them
        for query, answer in expected.items():
            assert http(base + query).text == answer
