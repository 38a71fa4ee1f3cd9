"""The Shopping cart example in a real browser: add, change quantities, check out, and the
refusal of an order that would take the stock below zero."""

from __future__ import annotations


def add_to_cart(site, product: str) -> None:
    with site.page.expect_navigation():
        site.page.locator("li", has_text=product).get_by_role("button", name="Add to cart").click()
    site.check_layout()


def stock(site, product: str) -> str:
    return site.page.locator("li", has_text=product).locator(".stock").inner_text()


def test_fill_the_cart_and_check_out(site):
    site.go("default/index")
    assert "Sold out" in site.page.locator("li", has_text="Pencil case").inner_text()
    add_to_cart(site, "Fountain pen")
    assert site.flash() == "Fountain pen added to your cart"
    add_to_cart(site, "Fountain pen")
    add_to_cart(site, "Notebook")
    site.click("Cart (3)")

    site.submit("Update quantities", Notebook="150")
    assert site.errors() == ["0 to 99"], "a silly quantity is refused"
    site.submit("Update quantities", Notebook="4")
    assert site.flash() == "Cart updated"
    assert "62.00 €" in site.text(".total")

    site.submit("Check out", Your_name="")
    assert site.errors(), "an order needs a name"
    site.submit("Check out", Your_name="Ada")
    assert site.flash().startswith("Thank you! Order 1 is placed")
    assert stock(site, "Fountain pen") == "1 in stock"
    assert stock(site, "Notebook") == "6 in stock"
    assert site.page.get_by_role("link", name="Cart (0)").count() == 1


def test_an_order_beyond_the_stock_is_refused_and_changes_nothing(site):
    site.go("default/index")
    add_to_cart(site, "Ink bottle")
    add_to_cart(site, "Fountain pen")
    site.go("default/basket")
    site.submit("Update quantities", Ink_bottle="2", Fountain_pen="9")
    site.submit("Check out", Your_name="Ada")
    assert "not enough stock" in site.flash()
    assert site.page.get_by_label("Fountain pen").input_value() == "9", "the cart is kept"
    site.go("default/index")
    assert stock(site, "Ink bottle") == "5 in stock", "the order's other line was rolled back"
    assert stock(site, "Fountain pen") == "3 in stock"
