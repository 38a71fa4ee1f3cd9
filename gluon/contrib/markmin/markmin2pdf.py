"""web2py's ``gluon.contrib.markmin.markmin2pdf``: not provided.

web2py's PDF path (markmin to LaTeX, then pdflatex) has no maintained PyPI counterpart, so
Pocketweb offers none; importing this module says so instead of failing later.
"""

raise ImportError("markmin2pdf is not available in Pocketweb: no maintained library turns "
                  "markmin into PDF; render HTML with markmin2html instead")
