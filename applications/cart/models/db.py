# -*- coding: utf-8 -*-
# Shopping cart: products with a price and a stock; orders made of lines.
# The cart itself is not a table: it lives in the visitor's session until checkout.

db = DAL("sqlite://storage.sqlite", pool_size=0, migrate=True)

db.define_table(
    "product",
    Field("name", requires=IS_NOT_EMPTY()),
    Field("price", "decimal(10,2)", requires=IS_DECIMAL_IN_RANGE(0, 100000)),
    Field("stock", "integer", default=0, requires=IS_INT_IN_RANGE(0, 100000)),
    format="%(name)s",
)

# "order" is a word SQL keeps for itself, so the table is called customer_order.
db.define_table(
    "customer_order",
    Field("customer", label=T("Your name"), requires=IS_NOT_EMPTY()),
    Field("placed_on", "datetime", default=request.now, writable=False),
    Field("total", "decimal(10,2)", writable=False),
)

db.define_table(
    "order_line",
    Field("customer_order", "reference customer_order"),
    Field("product", "reference product"),
    Field("quantity", "integer"),
    Field("price", "decimal(10,2)"),  # the price paid, kept even if the product's price changes
)

# A few products to start with, added the first time the app runs.
if not db(db.product).count():
    db.product.bulk_insert([
        dict(name="Notebook", price=3.50, stock=10),
        dict(name="Fountain pen", price=24.00, stock=3),
        dict(name="Ink bottle", price=7.90, stock=5),
        dict(name="Pencil case", price=12.00, stock=0),
    ])
    db.commit()


def cart():
    """The session's cart: {product id as text: quantity}. Sessions keep only plain data."""
    if session.cart is None:
        session.cart = {}
    return session.cart
