# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = T("Bank")

response.menu = [
    (T("Accounts"), request.function == "index", URL("default", "index"), []),
    (T("Transfer"), request.function == "transfer_money", URL("default", "transfer_money"), []),
]
