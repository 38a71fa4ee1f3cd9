# -*- coding: utf-8 -*-
# Contact form: visitors write to us; each message is stored and mailed to the site's owner.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True)

# Mail: with no server set, every mail is saved as an .eml file in private/mail.
mail = Mail()
mail.settings.server = None  # e.g. "smtp.example.com:587"
mail.settings.sender = "website@example.com"
mail.settings.login = None  # "username:password"
OWNER_EMAIL = "owner@example.com"  # who reads the messages

db.define_table(
    "message",
    Field("name", label=T("Your name"), requires=IS_NOT_EMPTY()),
    Field("email", label=T("Your email"), requires=IS_EMAIL()),
    Field("body", "text", label=T("Message"),
          requires=[IS_NOT_EMPTY(), IS_LENGTH(2000)]),
    Field("sent_on", "datetime", default=request.now, readable=False, writable=False),
)
