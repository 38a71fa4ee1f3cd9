"""SQLFORM.grid / smartgrid over real HTTP: paging, sorting, searching, CSV, signed actions."""

import html
import json
import re

import pytest
from form_support import formkey, link, seeded_shop
from support import Browser, assert_answer

CONTROLLER = '''
def things():
    grid = SQLFORM.grid(db.thing, fields=[db.thing.id, db.thing.title, db.thing.qty],
                        paginate=3, orderby=db.thing.id,
                        deletable=lambda row: row.title != "ink")
    return dict(body=grid.xml())

def slim():
    grid = SQLFORM.grid(db.thing.qty > 4, fields=[db.thing.title], create=False,
                        csv=False, searchable=False, sortable=False, details=False)
    return dict(body=grid.xml())

def picks():
    def chosen(ids):
        session.picked = ids
    grid = SQLFORM.grid(db.thing.qty < 5, selectable=chosen, paginate=50)
    return dict(body=grid.xml() + "<p id='picked'>%s</p>" % session.picked)

def hooked():
    def log(name):
        return lambda *args: session.__setitem__("log", (session.log or []) + [name])
    grid = SQLFORM.grid(db.thing, fields=[db.thing.id, db.thing.title, db.owner.name],
                        left=db.owner.on(db.thing.owner == db.owner.id), orderby=db.thing.id,
                        oncreate=log("create"), onupdate=log("update"),
                        ondelete=log("delete"), headers={"owner.name": "Owner name"})
    return dict(body=grid.xml() + "<p id='log'>%s</p>" % session.log)

def count():
    return dict(body="<p id='count'>%s</p>" % db(db.thing).count())

def exports():
    from gluon.sqlhtml import ExportClass, ExporterJSON

    class Titles(ExportClass):
        label, file_ext, content_type = "Titles", "txt", "text/plain"

        def export(self):
            return ";".join(str(row[1]) for row in self.represented())

    grid = SQLFORM.grid(db.thing, fields=[db.thing.id, db.thing.title], orderby=db.thing.id,
                        exportclasses=dict(titles=(Titles, "Just titles"), csv=False,
                                           json=(ExporterJSON, "Data", "For programs")))
    return dict(body=grid.xml())
'''


@pytest.fixture
def shop(root, wsgi_server, browser):
    return seeded_shop(root, wsgi_server, browser, CONTROLLER)


def titles(page):
    return re.findall(r"<tr class=\"w2p_(?:odd|even) (?:odd|even)\"><td>\d+</td><td>([^<]*)</td>",
                      page)




def count(browser, shop):
    return int(re.search(r"<p id='count'>(\d+)</p>", browser.get(shop + "/count").text).group(1))


def test_paginates_and_counts(shop, browser):
    first = browser.get(shop + "/things").text
    assert titles(first) == ["pen", "pencil", "paper"]
    assert "7 records found" in first
    assert 'aria-current="page" class="current">1</span>' in first
    assert titles(browser.get(shop + "/things?page=3").text) == ["pen case"]
    assert titles(browser.get(shop + "/things?page=x").text) == ["pen", "pencil", "paper"]


def test_sorts_both_ways_from_header_links(shop, browser):
    page = browser.get(shop + "/things").text
    assert 'href="/shop/default/things?order=thing.title"' in page
    ascending = browser.get(shop + "/things?order=thing.title").text
    assert titles(ascending) == ["desk", "ink", "lamp"]
    assert 'aria-sort="ascending"' in ascending
    assert 'href="/shop/default/things?order=~thing.title"' in ascending
    assert titles(browser.get(shop + "/things?order=~thing.title").text) == [
        "pencil", "pen case", "pen"]
    assert titles(browser.get(shop + "/things?order=thing.nope").text) == [
        "pen", "pencil", "paper"]


def test_search_plain_words_field_queries_and_bad_queries(shop, browser):
    assert titles(browser.get(shop + "/things?keywords=pen").text) == ["pen", "pencil",
                                                                        "pen case"]
    assert titles(browser.get(shop + "/things?keywords=pen+case").text) == ["pen case"]
    smart = browser.get(shop + "/things?keywords=thing.qty+%3E+4").text
    assert titles(smart) == ["lamp", "pen case"] and "2 records found" in smart
    quoted = browser.get(shop + '/things?keywords=thing.title+starts+with+"pe"').text
    assert titles(quoted) == ["pen", "pencil", "pen case"]
    bad = browser.get(shop + "/things?keywords=thing.qty+%3E+lots")
    assert bad.status == 200
    assert 'class="w2p_grid_error error" role="alert">Invalid query' in bad.text
    form = browser.get(shop + "/things").text
    assert '<label for="web2py_grid_keywords">Search</label>' in form
    assert 'title="Words, or e.g. thing.qty contains &quot;x&quot;"' in form


def test_csv_export_has_every_matching_row(shop, browser):
    answer = browser.get(shop + "/things?keywords=pen&_export_type=csv")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.headers["Content-Disposition"] == 'attachment; filename="rows.csv"'
    lines = answer.text.strip().splitlines()
    assert lines[0] == "thing.id,thing.title,thing.qty"
    assert lines[1:] == ["1,pen,0", "2,pencil,1", "7,pen case,6"]


def test_export_menu_offers_every_web2py_format(shop, browser):
    page = browser.get(shop + "/things?keywords=pen&order=thing.title").text
    menu = re.search(r'<div class="w2p_export_menu">Export: (.*?)</div>', page).group(1)
    kinds = re.findall(r"_export_type=(\w+)", html.unescape(menu))
    assert kinds == ["csv", "csv_with_hidden_cols", "html", "json", "tsv",
                     "tsv_with_hidden_cols", "xml"]
    assert "keywords=pen" in html.unescape(menu) and "order=thing.title" in html.unescape(menu)
    assert "no records" not in page
    empty = browser.get(shop + "/things?keywords=nothing-like-this").text
    assert "w2p_export_menu" not in empty


def test_each_export_type_answers_in_its_format(shop, browser):
    hidden = browser.get(shop + "/things?_export_type=csv_with_hidden_cols&keywords=ink")
    assert hidden.text.splitlines()[0].startswith("thing.id,thing.title,thing.qty,thing.body")
    tsv = browser.get(shop + "/things?_export_type=tsv&keywords=lamp&_export_filename=stock")
    assert tsv.headers["Content-Type"] == "text/tab-separated-values"
    assert tsv.headers["Content-Disposition"] == 'attachment; filename="stock.tsv"'
    assert tsv.text.splitlines() == ["thing.id\tthing.title\tthing.qty", "6\tlamp\t5"]
    page = browser.get(shop + "/things?_export_type=html&keywords=desk")
    assert page.headers["Content-Type"] == "text/html" and "<td>desk</td>" in page.text
    data = browser.get(shop + "/things?_export_type=json&order=~thing.qty")
    assert [r["title"] for r in json.loads(data.text)][:2] == ["pen case", "lamp"]
    assert "<title>paper</title>" in browser.get(shop + "/things?_export_type=xml").text
    wrong = browser.get(shop + "/things?_export_type=exe")
    assert_answer(wrong, 400, "unknown export type")


def test_app_exportclasses_add_rename_and_remove_formats(shop, browser):
    page = html.unescape(browser.get(shop + "/exports").text)
    assert re.findall(r"_export_type=(\w+)", page) == [
        "csv_with_hidden_cols", "html", "json", "titles", "tsv", "tsv_with_hidden_cols", "xml"]
    assert '>Just titles</a>' in page and 'title="For programs"' in page and ">Data</a>" in page
    titles = browser.get(shop + "/exports?_export_type=titles&keywords=pen")
    assert titles.headers["Content-Type"] == "text/plain"
    assert titles.text == "pen;pencil;pen case"
    assert_answer(browser.get(shop + "/exports?_export_type=csv"), 400, "unknown export type")


def test_view_edit_and_create_through_signed_links(shop, browser):
    listing = browser.get(shop + "/things").text
    view = browser.get(shop.replace("/shop/default", "") + link(listing, "view"))
    assert view.status == 200 and '<span id="thing_title">pen</span>' in view.text

    edit_url = shop.replace("/shop/default", "") + link(listing, "edit")
    page = browser.get(edit_url)
    assert page.status == 200 and 'value="pen"' in page.text
    answer = browser.post(edit_url, {"_formname": "web2py_grid", "id": "1", "title": "quill",
                                     "_formkey": formkey(page.text, "web2py_grid")})
    assert answer.status == 303, answer.text
    after = browser.get(shop + "/things").text
    assert "Record updated" in after and titles(after)[0] == "quill"

    create_url = shop.replace("/shop/default", "") + link(listing, "add")
    page = browser.get(create_url)
    answer = browser.post(create_url, {"_formname": "web2py_grid", "title": "stapler",
                                       "_formkey": formkey(page.text, "web2py_grid")})
    assert answer.status == 303 and count(browser, shop) == 8


def test_signed_links_refuse_other_sessions_and_unsigned_urls(shop, browser):
    listing = browser.get(shop + "/things").text
    edit_path = link(listing, "edit")
    stranger = Browser()
    assert_answer(stranger.get(shop.replace("/shop/default", "") + edit_path), 403,
                  "not authorized: this link is not signed for your session")
    assert_answer(browser.get(shop + "/things/edit/thing/1"), 403,
                  "not authorized: this link is not signed for your session")
    assert browser.get(shop + "/things/edit/owner/1").status in (403, 404)


def test_delete_needs_the_confirmation_post(shop, browser):
    listing = browser.get(shop + "/things").text
    delete_url = shop.replace("/shop/default", "") + link(listing, "delete")
    confirm = browser.get(delete_url)
    assert confirm.status == 200 and "Delete record 1?" in confirm.text
    assert count(browser, shop) == 7  # a GET never deletes
    forged = browser.post(delete_url, {"_formname": "web2py_grid_delete", "_formkey": "x"})
    assert forged.status == 200 and count(browser, shop) == 7
    key = formkey(confirm.text, "web2py_grid_delete")
    answer = browser.post(delete_url, {"_formname": "web2py_grid_delete", "_formkey": key})
    assert answer.status == 303 and count(browser, shop) == 6


def test_per_row_permission_hides_and_refuses_delete(shop, browser):
    page = browser.get(shop + "/things?keywords=ink").text
    assert titles(page) == ["ink"] and "w2p_delete" not in page and "w2p_edit" in page
    edit_path = link(page, "edit")
    delete_path = edit_path.replace("/edit/", "/delete/")
    assert_answer(browser.get(shop.replace("/shop/default", "") + delete_path), 403,
                  "not authorized: this link is not signed for your session")


def test_grid_without_id_column_and_features_switched_off(shop, browser):
    page = browser.get(shop + "/slim").text
    assert "2 records found" in page and "lamp" in page and "pencil" not in page
    assert "<th scope=\"col\">Title</th>" in page  # not sortable: no header link
    assert "w2p_add" not in page and "w2p_view" not in page and "Export" not in page
    assert 'name="keywords"' not in page
    assert "/slim/edit/thing/6?_signature=" in page
    base = shop.replace("/shop/default", "")
    assert browser.get(base + html.unescape(
        re.search(r'href="([^"]*/slim/edit/thing/6[^"]*)"', page).group(1))).status == 200
    signed_view = browser.get(base + html.unescape(re.search(
        r'href="([^"]*/slim/edit/thing/6[^"]*)"', page).group(1)).replace("/edit/", "/view/"))
    # details=False, and the signature is for edit only
    assert_answer(signed_view, 403, "not authorized: this link is not signed for your session")
    outside = html.unescape(re.search(r'href="([^"]*/slim/edit/thing/6[^"]*)"', page).group(1))
    assert_answer(browser.get(base + outside.replace("/thing/6", "/thing/1")), 403,
                  "not authorized: this link is not signed for your session")


def test_selectable_rows_post_their_ids_only_from_this_grid(shop, browser):
    page = browser.get(shop + "/picks").text
    assert 'aria-label="Select 1" id="web2py_grid_select_1" name="records"' in page
    key = formkey(page, "web2py_grid_select")
    answer = browser.post(shop + "/picks", {"_formname": "web2py_grid_select", "_formkey": key,
                                            "records": ["1", "3", "6", "999", "x"]})
    assert "<p id='picked'>[1, 3]</p>" in answer.text  # 6 is outside the query, 999 unknown
    replay = browser.post(shop + "/picks", {"_formname": "web2py_grid_select",
                                            "_formkey": key, "records": ["2"]})
    assert "<p id='picked'>[1, 3]</p>" in replay.text


def test_left_join_columns_and_callbacks(shop, browser):
    base = shop.replace("/shop/default", "")
    page = browser.get(shop + "/hooked").text
    assert ">Owner name</a></th>" in page and "<td>Ann</td>" in page and "<td>Bob</td>" in page
    assert "7 records found" in page
    edit_url = base + link(page, "edit")
    form = browser.get(edit_url).text
    browser.post(edit_url, {"_formname": "web2py_grid", "_formkey": formkey(form, "web2py_grid"),
                            "id": "1", "title": "nib"})
    form = browser.get(edit_url).text
    browser.post(edit_url, {"_formname": "web2py_grid", "_formkey": formkey(form, "web2py_grid"),
                            "id": "1", "title": "nib", "delete_this_record": "on"})
    create_url = base + link(page, "add")
    form = browser.get(create_url).text
    browser.post(create_url, {"_formname": "web2py_grid", "title": "new",
                              "_formkey": formkey(form, "web2py_grid")})
    assert "<p id='log'>['update', 'delete', 'create']</p>" in browser.get(shop + "/hooked").text
    assert count(browser, shop) == 7
