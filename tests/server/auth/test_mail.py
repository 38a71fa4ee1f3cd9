"""Mail: .eml files in the app's private/mail when offline, real SMTP when a server is set."""

from __future__ import annotations

import email
import email.policy
import socket
import socketserver
import threading

import pytest

from server.auth import Mail
from server.current import current
from server.storage import Storage


@pytest.fixture
def app_folder(tmp_path):
    current.request = Storage(folder=str(tmp_path / "app") + "/")
    yield tmp_path / "app"
    current.request = None


def read_mails(folder):
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))]


def test_without_server_the_mail_lands_in_private_mail(app_folder):
    mail = Mail(sender="site@example.com")
    assert mail.send(to="ann@example.com", subject="Hello", message="Body text é",
                     cc=["cc@example.com"], reply_to="r@example.com", headers={"X-Tag": "t"})
    (message,) = read_mails(app_folder / "private" / "mail")
    assert message["To"] == "ann@example.com"
    assert message["From"] == "site@example.com"
    assert message["Cc"] == "cc@example.com"
    assert message["Reply-To"] == "r@example.com"
    assert message["X-Tag"] == "t"
    assert message["Subject"] == "Hello"
    assert message.get_content().strip() == "Body text é"


def test_text_and_html_alternatives_and_attachments(app_folder, tmp_path):
    attached = tmp_path / "notes.txt"
    attached.write_text("attached words")
    mail = Mail()
    assert mail.send("ann@example.com", "Both", ("plain words", "<html><b>bold</b></html>"),
                     attachments=[Mail.Attachment(str(attached)),
                                  Mail.Attachment(b"\x89PNG", filename="pic.png")])
    (message,) = read_mails(app_folder / "private" / "mail")
    assert message.get_body(("plain",)).get_content().strip() == "plain words"
    assert "<b>bold</b>" in message.get_body(("html",)).get_content()
    names = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert names["notes.txt"].strip() == "attached words"
    assert names["pic.png"] == b"\x89PNG"


def test_no_recipient_fails_with_an_error(app_folder):
    mail = Mail()
    assert mail.send(to=[], subject="x", message="y") is False
    assert mail.error == "no recipient"


def test_without_server_or_application_folder_send_reports_failure():
    current.request = None
    mail = Mail()
    assert mail.send("ann@example.com", "x", "y") is False
    assert "folder" in mail.error


class RecordingSMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message; keeps what it received on the server."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 test ready")
        while True:
            line = self.rfile.readline().decode().strip()
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb in ("MAIL", "RCPT"):
                self.server.envelope.append(line)
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                self.server.data.append(self.read_data())
                self.reply("250 queued")
            elif verb == "QUIT" or not line:
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")

    def read_data(self):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line)
        return b"".join(lines)


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RecordingSMTPHandler)
    server.envelope, server.data = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_real_smtp_delivery(smtp_server, tmp_path):
    host, port = smtp_server.server_address
    mail = Mail(server=f"{host}:{port}", sender="site@example.com", tls=False)
    assert mail.send(to="ann@example.com", subject="Over SMTP", message="hello wire",
                     bcc="hidden@example.com"), mail.error
    assert any("ann@example.com" in line for line in smtp_server.envelope)
    assert any("hidden@example.com" in line for line in smtp_server.envelope)
    message = email.message_from_bytes(smtp_server.data[0], policy=email.policy.default)
    assert message["Subject"] == "Over SMTP"
    assert "hidden@example.com" not in str(message)
    assert not list(tmp_path.rglob("*.eml"))


def test_tls_required_but_not_offered_fails_cleanly(smtp_server):
    host, port = smtp_server.server_address
    mail = Mail(server=f"{host}:{port}", tls=True)
    assert mail.send("ann@example.com", "x", "y") is False
    assert mail.error


def test_unreachable_server_fails_cleanly():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mail = Mail(server=f"127.0.0.1:{port}", tls=False)
    assert mail.send("ann@example.com", "x", "y") is False
    assert mail.error
