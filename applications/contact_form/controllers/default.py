# -*- coding: utf-8 -*-
# Pages of the Contact form example. There is deliberately no page that lists the
# messages: visitors can write, but only the owner (in the database browser, or by mail) reads.


def index():
    """The form: valid messages are stored, mailed, and the visitor sees a thank-you page."""
    form = SQLFORM(db.message, submit_button=T("Send"))
    if form.process().accepted:
        mail.send(to=OWNER_EMAIL, reply_to=form.vars.email,
                  subject=T("Message from %s", form.vars.name),
                  message=form.vars.body)
        # The name travels in the session, not in the URL, so the thank-you page stays private.
        session.sender = form.vars.name
        redirect(URL("thanks"))
    elif form.errors:
        response.flash = T("Please correct the highlighted fields")
    return dict(form=form)


def thanks():
    """Shown once after sending; without a message just sent, back to the form."""
    sender = session.sender or redirect(URL("index"))
    session.sender = None
    return dict(sender=sender)
