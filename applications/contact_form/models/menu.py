# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = T("Contact form")

response.menu = [
    (T("Write to us"), request.function == "index", URL("default", "index"), []),
]
