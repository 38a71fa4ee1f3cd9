"""web2py's ``gluon.contrib.markmin.markmin2latex``: not provided.

web2py's LaTeX writer has no maintained PyPI counterpart, so Pocketweb offers none; importing
this module says so instead of failing later with a confusing error.
"""

raise ImportError("markmin2latex is not available in Pocketweb: no maintained library writes "
                  "LaTeX from markmin; render HTML with markmin2html instead")
