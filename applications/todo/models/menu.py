# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = T("To-do list")

response.menu = [
    (T("My tasks"), request.function == "index", URL("default", "index"), []),
]
