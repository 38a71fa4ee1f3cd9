# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = T("Login system")

response.menu = [
    (T("Home"), request.function == "index", URL("default", "index"), []),
    (T("Members"), request.function == "members", URL("default", "members"), []),
    (T("Managers"), request.function == "managers", URL("default", "managers"), []),
]
