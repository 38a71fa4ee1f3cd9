# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = request.application.replace("_", " ").title()
response.subtitle = T("Your Pocketweb application")
response.meta.description = "A Pocketweb application"

response.menu = [
    (T("Home"), request.function == "index", URL("default", "index"), []),
]
