"""The Contact form example in a real browser: validated, stored, mailed, thanked."""

from __future__ import annotations

import email


def test_a_message_is_validated_stored_mailed_and_thanked(site):
    site.go("default/index")
    site.submit("Send", Your_name="", Your_email="nobody", Message="")
    assert len(site.errors()) == 3, "name, email and message are all checked"

    site.submit("Send", Your_name="Ada", Your_email="ada@example.com",
                Message="Do you ship to Portugal?")
    assert site.page.url.endswith("/contact_form/default/thanks")
    assert "Thank you, Ada!" in site.text()

    mails = list((site.root / "applications/contact_form/private/mail").glob("*.eml"))
    assert len(mails) == 1
    mailed = email.message_from_bytes(mails[0].read_bytes())
    assert mailed["To"] == "owner@example.com" and mailed["Reply-To"] == "ada@example.com"
    assert "Do you ship to Portugal?" in mailed.get_payload(decode=True).decode()

    site.go("default/thanks")
    assert site.page.url.endswith("/contact_form/default/index"), \
        "the thank-you page shows only right after sending"
    for path in ("default/message", "default/messages", "appadmin/index"):
        answer = site.page.request.get(site.base + site.path(path))
        assert answer.status == 404 and "Portugal" not in answer.text(), "nobody lists messages"
