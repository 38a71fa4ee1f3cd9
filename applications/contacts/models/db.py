# -*- coding: utf-8 -*-
# Contacts: companies, the people who work there, and notes about each person.
# Models run before every request; define_table creates or migrates the tables.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True)

# A company's name must be given and must not be used twice. IS_NOT_IN_DB checks that
# in the form (a friendly error); unique=True makes the database itself refuse a copy.
db.define_table(
    "company",
    Field("name", notnull=True, unique=True,
          requires=[IS_NOT_EMPTY(), IS_NOT_IN_DB(db, "company.name")]),
    format="%(name)s",  # how a company is shown in drop-downs and references
)

# A contact belongs to a company: the "reference company" field holds a company id,
# and the form shows it as a drop-down of company names (IS_IN_DB).
db.define_table(
    "contact",
    Field("name", requires=IS_NOT_EMPTY()),
    Field("company", "reference company",
          requires=IS_IN_DB(db, "company.id", "%(name)s", zero=T("choose a company"))),
    # "upload" fields store the file under uploads/ and keep only its new name here.
    Field("picture", "upload", requires=IS_EMPTY_OR(IS_IMAGE())),
    Field("email", requires=IS_EMAIL()),
    Field("phone", requires=IS_MATCH(r"^\+?[0-9 ()\-]{6,20}$",
                                     error_message=T("use digits, spaces, + - ( )"))),
    format="%(name)s",
)

# The log: dated notes about a contact (who called, what was agreed...).
db.define_table(
    "log",
    Field("body", "text", label=T("Note"), requires=IS_NOT_EMPTY()),
    Field("posted_on", "datetime", default=request.now, writable=False),
    Field("contact", "reference contact", readable=False, writable=False),
)
