"""web2py's ``Mail``: send email through SMTP, or keep it as .eml files in the app's
``private/mail`` folder when no server is configured (so verification works offline)."""

from __future__ import annotations

import datetime
import logging
import mimetypes
import os
import smtplib
import uuid
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import IO

from server.current import current
from server.paths import safe_join
from server.storage import Storage

log = logging.getLogger("pocketweb.mail")

# settings.server values meaning "do not talk to a network, keep the message on disk"
FILE_DELIVERY = {None, "", "logging", "disk", "file"}
# one address, several separated by commas, or a list of them
Addresses = str | Iterable[str] | None
# text, HTML (starting with <html), or a (text, html) pair
MessageBody = object


class Attachment:
    """A file to attach: a path, bytes, or an open file; ``content_id`` makes it inline."""

    def __init__(self, payload: str | os.PathLike | bytes | IO, filename: str | None = None,
                 content_id: str | None = None, content_type: str | None = None,
                 encoding: str = "utf-8") -> None:
        if isinstance(payload, (str, os.PathLike)) and os.path.isfile(payload):
            filename = filename or os.path.basename(payload)
            payload = Path(payload).read_bytes()
        elif hasattr(payload, "read"):
            payload = payload.read()
        if isinstance(payload, str):
            payload = payload.encode(encoding)
        self.payload = payload
        self.filename = filename or "attachment"
        self.content_id = content_id
        self.content_type = (content_type or mimetypes.guess_type(self.filename)[0]
                             or "application/octet-stream")

    def attach_to(self, message: EmailMessage) -> None:
        maintype, subtype = self.content_type.split("/", 1)
        headers = [f"Content-ID: <{self.content_id}>"] if self.content_id else None
        message.add_attachment(self.payload, maintype=maintype, subtype=subtype,
                               filename=self.filename, headers=headers)


Attachments = Iterable[Attachment] | None


def as_list(value: Addresses) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value]


def looks_like_html(text: str) -> bool:
    return text.lstrip()[:6].lower() in ("<html>", "<html ", "<!doct")


class Mail:
    """``mail = Mail(server, sender, login, tls)``; ``mail.send(to, subject, message, ...)``.

    ``message`` is text, HTML (starting with ``<html``), or a ``(text, html)`` pair.
    ``send`` returns True on success; on failure it returns False and sets ``mail.error``.
    """

    Attachment = Attachment

    def __init__(self, server: str | None = None, sender: str | None = None,
                 login: str | None = None, tls: bool = True) -> None:
        self.settings = Storage(server=server, sender=sender, login=login, tls=tls, ssl=False,
                                timeout=10, hostname=None, folder=None)
        self.error: str | None = None
        self.result: dict = {}

    def send(self, to: Addresses, subject: object = "[no subject]",
             message: MessageBody = "[no message]",
             attachments: Attachments = None, cc: Addresses = None,
             bcc: Addresses = None, reply_to: Addresses = None, sender: str | None = None,
             headers: dict | None = None, encoding: str = "utf-8") -> bool:
        self.error = None
        recipients = as_list(to) + as_list(cc) + as_list(bcc)
        if not recipients:
            self.error = "no recipient"
            return False
        email = self.build(to, subject, message, attachments, cc, reply_to,
                           sender or self.settings.sender, headers, encoding)
        try:
            if self.settings.server in FILE_DELIVERY:
                self.result = {"file": str(self.write_file(email, recipients))}
            else:
                self.result = self.send_smtp(email, recipients)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            self.error = str(exc) or exc.__class__.__name__
            log.warning("mail to %s not sent: %s", recipients, self.error)
            return False
        return True

    def build(self, to: Addresses, subject: object, message: MessageBody,
              attachments: Attachments, cc: Addresses, reply_to: Addresses,
              sender: str | None, headers: dict | None, encoding: str) -> EmailMessage:
        email = EmailMessage()
        email["From"] = sender or "pocketweb@localhost"
        email["To"] = ", ".join(as_list(to))
        if cc:
            email["Cc"] = ", ".join(as_list(cc))
        if reply_to:
            email["Reply-To"] = ", ".join(as_list(reply_to))
        email["Subject"] = str(subject)
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = make_msgid(domain=self.settings.hostname)
        for name, value in (headers or {}).items():
            email[name] = str(value)
        self.set_body(email, message, encoding)
        for attachment in attachments or []:
            attachment.attach_to(email)
        return email

    @staticmethod
    def set_body(email: EmailMessage, message: MessageBody, encoding: str) -> None:
        if isinstance(message, (list, tuple)):
            text, html = message
            email.set_content(str(text or ""), charset=encoding)
            if html:
                email.add_alternative(str(html), subtype="html", charset=encoding)
        elif looks_like_html(str(message)):
            email.set_content(str(message), subtype="html", charset=encoding)
        else:
            email.set_content(str(message), charset=encoding)

    def mail_folder(self) -> Path:
        """``settings.folder``, else ``<app>/private/mail`` of the running application."""
        if self.settings.folder:
            return Path(self.settings.folder)
        request = getattr(current, "request", None)
        if request is None or not getattr(request, "folder", None):
            raise ValueError("no mail server and no application folder to keep the mail in")
        return safe_join(request.folder, "private", "mail")

    def write_file(self, email: EmailMessage, recipients: list[str]) -> Path:
        folder = self.mail_folder()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")  # sorts by time
        target = folder / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        target.write_bytes(bytes(email))
        log.info("mail to %s kept in %s", ", ".join(recipients), target)
        return target

    def send_smtp(self, email: EmailMessage, recipients: list[str]) -> dict:
        host, _, port = str(self.settings.server).rpartition(":")
        if not host:
            host, port = port, "25"
        client_class = smtplib.SMTP_SSL if self.settings.ssl else smtplib.SMTP
        with client_class(host, int(port), timeout=self.settings.timeout) as smtp:
            if self.settings.tls and not self.settings.ssl:
                smtp.starttls()
            if self.settings.login:
                user, _, password = str(self.settings.login).partition(":")
                smtp.login(user, password)
            return smtp.send_message(email, to_addrs=recipients)
