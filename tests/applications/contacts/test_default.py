"""The Contacts example in a real browser: companies, contacts with pictures, and notes."""

from __future__ import annotations

import struct
import zlib


def tiny_png(path):
    """A real 2x2 PNG file (IS_IMAGE reads its header and size)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixels = b"".join(b"\x00" + b"\x2f\x6f\xdf" * 2 for _ in range(2))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))
    return path


def test_companies_contacts_pictures_and_notes(site, tmp_path):
    site.go("default/index")
    assert "No companies yet" in site.text()

    site.click("Add the first one")
    site.submit("Submit", Name="")
    assert site.errors(), "an empty company name is refused"
    site.submit("Submit", Name="Acme Tools")
    assert site.flash() == "Company saved"
    assert "Acme Tools" in site.text()

    site.go("default/company_edit")
    site.submit("Submit", Name="Acme Tools")
    assert site.errors(), "a second company with the same name is refused"

    site.go("default/index")
    site.click("Acme Tools")
    assert "Nobody works here yet" in site.text()
    site.click("Add a contact")
    assert site.page.get_by_label("Company").input_value() != "", "the company is preselected"
    site.submit("Submit", Name="Ada Byron", Email="not-an-address", Phone="call me")
    assert len(site.errors()) == 2, "a bad email and a bad phone are both refused"
    site.page.get_by_label("Picture").set_input_files(str(tiny_png(tmp_path / "ada.png")))
    site.submit("Submit", Name="Ada Byron", Email="ada@example.com", Phone="+44 20 7946 0000")
    assert site.flash() == "Contact saved"
    assert "ada@example.com" in site.text()
    picture = site.page.get_by_role("img", name="Ada Byron")
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 2, "the picture shows"

    site.click("Ada Byron")
    site.submit("Add note", Note="")
    assert site.errors(), "an empty note is refused"
    site.submit("Add note", Note="Called about the spring order")
    assert "Called about the spring order" in site.text(".items")

    site.click("Edit")
    site.submit("Submit", Phone="+44 20 7946 0001")
    assert "+44 20 7946 0001" in site.text()
