# -*- coding: utf-8 -*-
# Pages of the Contacts example. Each function is a page: /contacts/default/<function>/<args>.
# A function returns a dict, and views/default/<function>.html turns it into HTML.


def index():
    """All companies, each with a link to its contacts."""
    companies = db(db.company).select(orderby=db.company.name)
    return dict(companies=companies)


def company_edit():
    """Create a company (no argument) or edit one: /contacts/default/company_edit/<id>."""
    company = db.company(request.args(0, cast=int, otherwise=URL("index")))
    # SQLFORM builds the form from the table; process() validates a submitted form
    # and inserts (or updates) the record when every field is valid.
    form = SQLFORM(db.company, company, deletable=company is not None).process()
    if form.accepted:
        session.flash = T("Company saved")
        redirect(URL("index"))
    elif form.errors:
        response.flash = T("Please correct the highlighted fields")
    return dict(form=form, company=company)


def contacts():
    """The contacts of one company: /contacts/default/contacts/<company id>."""
    company = db.company(request.args(0, cast=int)) or redirect(URL("index"))
    people = db(db.contact.company == company.id).select(orderby=db.contact.name)
    return dict(company=company, people=people)


def contact_edit():
    """Create a contact or edit one: /contacts/default/contact_edit/<id>."""
    contact = db.contact(request.args(0, cast=int, otherwise=URL("index")))
    if contact is None and request.vars.company:
        db.contact.company.default = request.vars.company  # preselect the company we came from
    # upload= tells the form where a stored picture can be downloaded (to show a link to it).
    form = SQLFORM(db.contact, contact, deletable=contact is not None, upload=URL("download"))
    if form.process().accepted:
        session.flash = T("Contact saved")
        redirect(URL("contacts", args=form.vars.company))
    elif form.errors:
        response.flash = T("Please correct the highlighted fields")
    return dict(form=form, contact=contact)


def contact():
    """One contact, the notes about them, and a form to add a note."""
    person = db.contact(request.args(0, cast=int)) or redirect(URL("index"))
    db.log.contact.default = person.id  # the new note belongs to this person
    form = SQLFORM(db.log, submit_button=T("Add note")).process()
    if form.accepted:
        response.flash = T("Note added")
    notes = db(db.log.contact == person.id).select(orderby=~db.log.posted_on)
    return dict(person=person, notes=notes, form=form)


@cache.action()
def download():
    """Serve uploaded pictures: /contacts/default/download/<stored file name>."""
    return response.download(request, db)
