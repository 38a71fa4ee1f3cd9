# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = T("Data fetch")

response.menu = [
    (T("Cities"), request.function == "index", URL("default", "index"), []),
    (T("The JSON"), False, URL("default", "call", args=["json", "cities"]), []),
]
