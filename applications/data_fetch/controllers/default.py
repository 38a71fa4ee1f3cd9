# -*- coding: utf-8 -*-
# Pages of the Data fetch example: the API is /data_fetch/default/call/json/cities?q=...
# and the page's script (static/js/cities.js) asks it and draws the table.


def index():
    """The page the script runs on, with a form to add a city."""
    form = SQLFORM(db.city, submit_button=T("Add city"))
    if form.process().accepted:
        response.flash = T("%s added", form.vars.name)
    elif form.errors:
        response.flash = T("Please correct the highlighted fields")
    return dict(form=form)


@service.json
def cities(q=""):
    """The cities whose name or country contains ``q``, biggest first, as JSON."""
    query = db.city.id > 0
    if q:
        query &= db.city.name.contains(q) | db.city.country.contains(q)
    rows = db(query).select(db.city.name, db.city.country, db.city.population,
                            orderby=~db.city.population)
    return dict(cities=rows.as_list())


def call():
    """Answers the @service functions: /data_fetch/default/call/json/<function>."""
    session.forget()  # an API call needs no session cookie
    return service()
