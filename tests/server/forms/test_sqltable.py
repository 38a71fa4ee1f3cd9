"""SQLTABLE renders real Rows: labels, represent, links, truncation, extra columns."""

import pytest
from pydal import Field

from server.forms.sqltable import SQLTABLE


@pytest.fixture
def rows(db):
    db.define_table("owner", Field("name"), format="%(name)s")
    db.define_table("pet", Field("name"), Field("owner", "reference owner"),
                    Field("alive", "boolean"), Field("photo", "upload"),
                    Field("kind", represent=lambda value, row: f"<{value}>"))
    owner = db.owner.insert(name="Ann")
    db.pet.insert(name="Rex the very long named dog", owner=owner, alive=True,
                  photo="pet.photo.ab.cd.png", kind="dog")
    db.pet.insert(name="Tom", owner=owner, alive=False, kind="cat")
    return db(db.pet).select(orderby=db.pet.id)


def test_headers_cells_and_links(rows):
    html = SQLTABLE(rows, linkto="/app/default/show", upload="/app/default/download",
                    truncate=10).xml()
    assert '<th scope="col">Name</th>' in html and '<th scope="col">Owner</th>' in html
    assert "<td>Rex the...</td>" in html
    assert '<a href="/app/default/show/owner/1">Ann</a>' in html
    assert '<a href="/app/default/show/pet/1">1</a>' in html
    assert '<a href="/app/default/download/pet.photo.ab.cd.png">file</a>' in html
    assert "<td>&lt;dog&gt;</td>" in html  # represent output is escaped text
    assert 'checked="checked" disabled="disabled"' in html
    assert html.count("<tr class=") == 2


def test_columns_headers_orderby_extracolumns_selectid(rows):
    table = SQLTABLE(rows, columns=["pet.name"], headers={"pet.name": "Pet"}, orderby=True,
                     th_link="/app/default/list", selectid=2,
                     extracolumns=[dict(label="Shout", content=lambda row, rc: row.name.upper())])
    html = table.xml()
    assert '<a href="/app/default/list?orderby=pet.name">Pet</a>' in html
    assert "<td>TOM</td>" in html and "Owner" not in html
    assert 'class="w2p_odd odd w2p_selected"' in html
