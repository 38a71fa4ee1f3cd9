# -*- coding: utf-8 -*-
# appadmin: browse and edit this application's databases, see its cache and its request state.
# Only the local machine, or a client over HTTPS, may use it, after logging in with the admin
# password given to Pocketweb (-a, or asked on the window's first start).
import io
from csv import Error as CsvError

from gluon.fileutils import check_credentials
from server.admin_login import log_in, log_out, password_is_set, secure_channel

PAGE_SIZE = 50

if not secure_channel(request):
    raise HTTP(403, "appadmin is disabled because insecure channel: use this machine or HTTPS")
if request.function not in ("login", "logout") and not check_credentials(request):
    redirect(URL("login", vars=dict(send=URL(args=request.args, vars=request.vars))))
response.view = "appadmin.html"
response.title = T("%s: database administration", request.application)


def _databases():
    """Every DAL object the models made, by its global name."""
    return {name: value for name, value in sorted(globals().items()) if isinstance(value, DAL)}


def _table():
    """The db and table named by the first two args, or 404."""
    databases = _databases()
    db_name, table_name = request.args(0), request.args(1)
    if db_name not in databases or table_name not in databases[db_name].tables:
        raise HTTP(404, "no such table")
    return databases[db_name], databases[db_name][table_name]


def login():
    if not password_is_set(request):
        return dict(body=P(T("Start Pocketweb with an admin password (-a) to use appadmin.")))
    form = FORM(LABEL(T("Admin password"), _for="admin_password"),
                INPUT(_type="password", _name="password", _id="admin_password",
                      _autocomplete="current-password"),
                INPUT(_type="submit", _value=T("Log in")))
    if form.process(onsuccess=None, onfailure=None).accepted:
        if log_in(request, session, form.vars.password):
            send = request.vars.send or ""
            redirect(send if send.startswith("/" + request.application + "/") else URL("index"))
        response.flash = T("Wrong admin password")
    return dict(body=form)


def logout():
    log_out(session)
    redirect(URL("login"))


def index():
    sections = []
    for name, db in _databases().items():
        rows = [TR(TH(T("Table")), TH(T("Rows")), TH(T("Actions")))]
        for table_name in db.tables:
            rows.append(TR(
                TD(A("%s.%s" % (name, table_name), _href=URL("select", args=[name, table_name]))),
                TD(db(db[table_name]).count()),
                TD(A(T("insert new %s", table_name), _href=URL("insert", args=[name, table_name])),
                   " ", A(T("export as csv"), _href=URL("csv", args=[name, table_name])),
                   " ", A(T("import csv"), _href=URL("import_csv", args=[name, table_name])))))
        sections.append(CAT(H2(T("Database %s", name)), TABLE(*rows, _class="appadmin-tables")))
    return dict(body=CAT(*sections) if sections else P(T("This application has no database.")))


def select():
    db, table = _table()
    page = request.vars.page if str(request.vars.page or "").isdigit() else "0"
    start = int(page) * PAGE_SIZE
    rows = db(table).select(orderby=table._id, limitby=(start, start + PAGE_SIZE + 1))
    header = TR(*[TH(table[f].label) for f in table.fields])
    body = [TR(*[TD(A(row[f], _href=URL("update", args=[request.args(0), table._tablename,
                                                        row[table._id.name]]))
                    if f == table._id.name else TD(table[f].represent(row[f], row)
                                                     if table[f].represent else row[f]))
                 for f in table.fields])
            for row in rows[:PAGE_SIZE]]
    pager = []
    if start:
        pager.append(A(T("previous page"), _href=URL(args=request.args, vars=dict(page=int(page) - 1))))
    if len(rows) > PAGE_SIZE:
        pager.append(A(T("next page"), _href=URL(args=request.args, vars=dict(page=int(page) + 1))))
    count = db(table).count()
    return dict(body=CAT(H2(T("%s rows of %s", (count, table._tablename))),
                         P(A(T("insert new %s", table._tablename),
                             _href=URL("insert", args=request.args[:2]))),
                         TABLE(THEAD(header), TBODY(*body), _class="appadmin-rows"), P(*pager)))


def insert():
    db, table = _table()
    form = SQLFORM(table)
    if form.process(next=URL("select", args=request.args[:2])).accepted:
        pass
    return dict(body=CAT(H2(T("New %s", table._tablename)), form))


def update():
    db, table = _table()
    record = table(request.args(2, cast=int)) or redirect(URL("select", args=request.args[:2]))
    form = SQLFORM(table, record, deletable=True, showid=True)
    form.process(next=URL("select", args=request.args[:2]))
    return dict(body=CAT(H2(T("Edit %s %s", (table._tablename, record.id))), form))


def csv():
    db, table = _table()
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="%s.csv"' % table._tablename
    text = io.StringIO()
    db(table).select(orderby=table._id).export_to_csv_file(text)
    return text.getvalue()


def import_csv():
    db, table = _table()
    form = FORM(LABEL(T("CSV file"), _for="csvfile"),
                INPUT(_type="file", _name="csvfile", _id="csvfile", _accept=".csv,text/csv"),
                INPUT(_type="submit", _value=T("import")))
    if form.process(onsuccess=None).accepted:
        upload = request.vars.csvfile
        if not hasattr(upload, "file"):
            response.flash = T("Choose a CSV file")
        else:
            try:
                table.import_from_csv_file(io.TextIOWrapper(upload.file, encoding="utf-8"))
            except (CsvError, UnicodeDecodeError, ValueError, KeyError) as error:
                db.rollback()
                response.flash = T("The file could not be imported: %s", error)
            else:
                session.flash = T("data uploaded")
                redirect(URL("select", args=request.args[:2]))
    return dict(body=CAT(H2(T("Import into %s", table._tablename)), form))


def ccache():
    if request.post_vars.clear in ("ram", "disk"):
        getattr(cache, request.post_vars.clear).clear()
        session.flash = T("%s cache cleared", request.post_vars.clear)
        redirect(URL("ccache"))
    panels = []
    for name in ("ram", "disk"):
        stats = getattr(cache, name).stats()
        panels.append(CAT(H2(T("%s cache", name)), BEAUTIFY(stats),
                          FORM(INPUT(_type="hidden", _name="clear", _value=name),
                               INPUT(_type="submit", _value=T("clear %s cache", name)))))
    return dict(body=CAT(*panels))


def state():
    return dict(body=CAT(H2(T("request")), BEAUTIFY(dict(request.items())),
                         H2(T("session")), BEAUTIFY(dict(session)),
                         H2(T("response")), BEAUTIFY(dict(response.items()))))
