# -*- coding: utf-8 -*-
# The menu shown by views/layout.html: (title, active, url, submenu) tuples.

response.title = T("Contacts")
response.subtitle = T("Companies and the people who work there")

response.menu = [
    (T("Companies"), request.function == "index", URL("default", "index"), []),
    (T("New company"), request.function == "company_edit", URL("default", "company_edit"), []),
    (T("New contact"), request.function == "contact_edit", URL("default", "contact_edit"), []),
]
