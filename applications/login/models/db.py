# -*- coding: utf-8 -*-
# Login system: Auth gives register, verify-by-mail, login, logout, profile and passwords.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True)

auth = Auth(db)
# A new user must click the link in the mail we send before they can log in.
auth.settings.registration_requires_verification = True
auth.settings.registration_requires_approval = False
auth.settings.password_min_length = 8
auth.define_tables(username=False, signature=False)

# Mail: with no server set, every mail is saved as an .eml file in private/mail, so you can
# open the verification mail there while you work offline. Set a server to really send it.
mail = auth.settings.mailer
mail.settings.server = None  # e.g. "smtp.example.com:587"
mail.settings.sender = "login@example.com"
mail.settings.login = None  # "username:password"

# A group for the "managers only" page. The first person who registers becomes a manager;
# everybody else is a plain member. (Give more people the role in the database browser.)
MANAGERS = "managers"
if not db(db.auth_group.role == MANAGERS).count():
    auth.add_group(MANAGERS, "may see the managers' page")


def first_user_manages(form):
    if db(db.auth_user).count() == 1:
        auth.add_membership(auth.id_group(MANAGERS), form.vars.id)


auth.settings.register_onaccept.append(first_user_manages)
