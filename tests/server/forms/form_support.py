"""Shared pieces of the forms HTTP tests: a real app with every field type, multipart posts,
form keys read from the served page. (A uniquely named module: ``conftest`` is ambiguous.)"""

from __future__ import annotations

import html
import io
import re
import uuid

from support import write_app

from server.current import current
from server.storage import Storage

MODELS = '''
db = DAL("sqlite://storage.sqlite", folder=request.folder + "databases")
db.define_table("owner", Field("name", length=20), format="%(name)s")
db.define_table(
    "thing",
    Field("title", length=10, requires=IS_NOT_EMPTY()),
    Field("body", "text"),
    Field("flag", "boolean"),
    Field("qty", "integer"),
    Field("price", "double"),
    Field("cost", "decimal(10,2)"),
    Field("day", "date"),
    Field("moment", "datetime"),
    Field("at", "time"),
    Field("secret", "password"),
    Field("doc", "upload"),
    Field("tags", "list:string"),
    Field("owner", "reference owner"),
    Field("friends", "list:reference owner"),
    Field("color", requires=IS_EMPTY_OR(IS_IN_SET(["red", "blue"]))),
)
db.thing.doc.upload_maxsize = 2000
if db(db.owner).isempty():
    db.owner.insert(name="Ann")
    db.owner.insert(name="Bob")
'''

VIEW = "{{=response.flash or ''}}{{=XML(body)}}"


def write_forms_app(root, controller: str, name: str = "shop"):
    """An app with the ``thing`` model, ``controller`` as default.py and one plain view each."""
    functions = re.findall(r"^def (\w+)\(\):", controller, re.M)
    views = {f"views/default/{f}.html": VIEW for f in functions}
    return write_app(root, name, {"models/db.py": MODELS, "controllers/default.py": controller,
                                  **views})


def formkey(page: str, formname: str | None = None) -> str:
    """The ``_formkey`` of the (named) form on a served page."""
    forms = re.findall(r'name="_formname" type="hidden" value="([^"]*)" />'
                       r'<input name="_formkey" type="hidden" value="([^"]+)"', page)
    for name, key in forms:
        if formname is None or html.unescape(name) == formname:
            return key
    raise AssertionError(f"no form {formname!r} on the page")


def multipart(fields: dict) -> tuple[bytes, dict]:
    """Encode ``fields`` as multipart/form-data; a ``(filename, bytes)`` value is a file."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                filename, data = item
                head = (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'
                        "\r\nContent-Type: application/octet-stream")
            else:
                head, data = f'Content-Disposition: form-data; name="{name}"', str(item).encode()
            parts.append(f"--{boundary}\r\n{head}\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def post(formname, **values):
    """Unit tests: post ``values`` to form ``formname`` with the session's latest key."""
    keys = current.session.get(f"_formkey[{formname}]") or ["none"]
    current.request.post_vars = Storage(_formname=formname, _formkey=keys[-1], **values)
    current.request.vars = current.request.post_vars


# The grid tests' controller starts with this action: seven things owned by Ann and Bob.
SEED_ACTION = '''
def seed():
    for n, title in enumerate(["pen", "pencil", "paper", "ink", "desk", "lamp", "pen case"]):
        db.thing.insert(title=title, qty=n, owner=1 + n % 2)
    return dict(body="seeded")
'''


def seeded_shop(root, wsgi_server, browser, controller: str) -> str:
    """The forms app with ``SEED_ACTION + controller``, seeded; its default controller's URL."""
    write_forms_app(root, SEED_ACTION + controller)
    base = wsgi_server(root) + "/shop/default"
    assert browser.get(base + "/seed").status == 200
    return base


def link(page, css):
    """The first link with class ``w2p_<css>`` on a page, unescaped."""
    return html.unescape(re.search(rf'class="button btn btn-default w2p_{css}" href="([^"]+)"',
                                   page).group(1))


class Upload:
    """What the request layer gives for a posted file: ``.filename`` and ``.file``."""

    def __init__(self, filename, data: bytes):
        self.filename = filename
        self.file = io.BytesIO(data)


def row_html(form, field):
    """The markup of one ``thing`` field's row in a table-style form, or ``""``."""
    match = re.search(rf'<tr id="thing_{field}__row">.*?</tr>', form.xml())
    return match.group(0) if match else ""
