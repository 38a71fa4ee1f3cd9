# -*- coding: utf-8 -*-
# Pages of the Shopping cart example: browse, fill the cart (kept in the session), check out.


def index():
    """The products, each with an "Add to cart" button."""
    products = db(db.product).select(orderby=db.product.name)
    return dict(products=products)


def add():
    """POST /cart/default/add/<product id>: one more of that product in the cart.

    The button's URL is signed for this session (URL(..., user_signature=True)), so a link
    or a form on another site cannot fill your cart.
    """
    if request.env.request_method != "POST" or not URL.verify(request, user_signature=True):
        raise HTTP(403, "use the Add to cart button")
    product = db.product(request.args(0, cast=int)) or redirect(URL("index"))
    items = cart()
    items[str(product.id)] = items.get(str(product.id), 0) + 1
    session.flash = T("%s added to your cart", product.name)
    redirect(URL("index"))


def basket():
    """The cart: change quantities (0 removes a line) and check out."""
    items = cart()
    products = db(db.product.id.belongs([int(key) for key in items])).select(orderby=db.product.name)
    # One quantity box per product; IS_INT_IN_RANGE refuses negative or silly numbers.
    quantities = FORM(
        *[DIV(LABEL(product.name, _for="qty%s" % product.id),
              INPUT(_name="qty%s" % product.id, _id="qty%s" % product.id, _type="number",
                    _min=0, _value=items[str(product.id)],
                    requires=IS_INT_IN_RANGE(0, 100, error_message=T("0 to 99"))),
              _class="quantity") for product in products],
        INPUT(_type="submit", _value=T("Update quantities")), _class="quantities")
    if products and quantities.process(formname="quantities").accepted:
        for product in products:
            amount = int(quantities.vars["qty%s" % product.id])
            if amount:
                items[str(product.id)] = amount
            else:
                items.pop(str(product.id))
        session.flash = T("Cart updated")
        redirect(URL("basket"))
    elif quantities.errors:
        response.flash = T("Quantities must be whole numbers from 0 to 99")
    checkout = SQLFORM(db.customer_order, fields=["customer"], submit_button=T("Check out"))
    if products and checkout.process(formname="checkout", dbio=False).accepted:
        order_id = place_order(checkout.vars.customer, products, items)
        if order_id:
            session.cart = {}
            session.flash = T("Thank you! Order %s is placed.", order_id)
            redirect(URL("index"))
        # class "refused": the layout's CSS shows this flash in red.
        response.flash = SPAN(T("Sorry, not enough stock for your order. Nothing was charged."),
                              _class="refused")
    total = sum(product.price * items[str(product.id)] for product in products)
    return dict(products=products, items=items, quantities=quantities, checkout=checkout,
                total=total)


def place_order(customer, products, items):
    """Create the order and lower the stock in one transaction; None if stock runs out.

    Each stock update only matches while enough is left ("stock >= wanted"), so two
    shoppers buying the last item at once cannot both succeed. Any refusal rolls back
    everything this request changed: no half order, no stock lost.
    """
    order_id = db.customer_order.insert(customer=customer, total=0)
    total = 0
    for product in products:
        wanted = items[str(product.id)]
        enough = (db.product.id == product.id) & (db.product.stock >= wanted)
        if not db(enough).update(stock=db.product.stock - wanted):
            db.rollback()
            return None
        db.order_line.insert(customer_order=order_id, product=product.id,
                             quantity=wanted, price=product.price)
        total += product.price * wanted
    db(db.customer_order.id == order_id).update(total=total)
    db.commit()
    return order_id
