"""web2py's ``gluon.contrib.pyrtf``: not provided.

No maintained PyPI package writes RTF documents, so Pocketweb offers none; importing this
module says so at once instead of failing later in an app's page.
"""

raise ImportError("gluon.contrib.pyrtf is not available in Pocketweb: no maintained library "
                  "writes RTF; generate a PDF, HTML or CSV answer instead")
