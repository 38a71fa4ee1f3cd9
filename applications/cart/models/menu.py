# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = T("Shopping cart")

response.menu = [
    (T("Products"), request.function == "index", URL("default", "index"), []),
    (T("Cart (%s)", sum(cart().values())), request.function == "basket", URL("default", "basket"), []),
]

# Extra files for this app's pages: layout.html links them through response.include_files().
response.files.append(URL("static", "css/cart.css"))
