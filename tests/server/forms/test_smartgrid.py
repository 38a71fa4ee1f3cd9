"""server/forms/smartgrid.py: a parent table's grid, links into its children, tied forms."""

import html
import re

import pytest
from form_support import formkey, link, seeded_shop
from support import assert_answer

CONTROLLER = '''
def owners():
    grid = SQLFORM.smartgrid(db.owner, linked_tables=["thing"], paginate=50)
    return dict(body=grid.xml())
'''


@pytest.fixture
def shop(root, wsgi_server, browser):
    return seeded_shop(root, wsgi_server, browser, CONTROLLER)




def test_smartgrid_lists_children_of_one_parent(shop, browser):
    page = browser.get(shop + "/owners").text
    assert "Ann" in page and "Bob" in page
    children = html.unescape(re.search(r'href="([^"]*owner/thing\.owner/1)"', page).group(1))
    child_page = browser.get(shop.replace("/shop/default", "") + children).text
    assert "4 records found" in child_page
    assert_answer(browser.get(shop + "/owners/owner/thing.owner/99"), 404, "record not found")
    assert_answer(browser.get(shop + "/owners/owner/thing.title/1"), 404, "unknown link")


def test_smartgrid_child_create_is_tied_to_the_parent(shop, browser):
    base = shop.replace("/shop/default", "")
    page = browser.get(shop + "/owners").text
    children = html.unescape(re.search(r'href="([^"]*owner/thing\.owner/2)"', page).group(1))
    child_page = browser.get(base + children).text
    assert "3 records found" in child_page
    create_url = base + link(child_page, "add")
    assert "/owners/owner/thing.owner/2/new/thing?_signature=" in create_url
    form = browser.get(create_url).text
    assert 'name="owner"' not in form  # the parent is fixed, not a choice
    answer = browser.post(create_url, {"_formname": "web2py_grid", "title": "clip",
                                       "_formkey": formkey(form, "web2py_grid")})
    assert_answer(answer, 303, Location="/shop/default/owners/owner/thing.owner/2")
    assert "4 records found" in browser.get(base + children).text
