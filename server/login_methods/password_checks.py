"""Password checks against an SMTP server, an HTTP Basic-auth URL, PAM or an LDAP directory."""

from __future__ import annotations

import base64
import importlib
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

log = logging.getLogger("pocketweb.login_methods")
# What each factory returns: ``check(username, password)``, as Auth's login_methods call it.
PasswordCheck = Callable[[str, str], bool]
TIMEOUT = 30


def _optional(module: str, package: str, purpose: str):
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise RuntimeError(f"{purpose} needs the {package!r} package (pip install {package})") \
            from exc


def email_auth(server: str = "smtp.gmail.com:587", domain: str | list[str] = "@gmail.com",
               tls_mode: bool | None = None) -> PasswordCheck:
    """A check that logs in to the SMTP ``server`` as the user; only addresses ending in
    ``domain`` (a string or a list) are tried. Port 587 means STARTTLS unless ``tls_mode``."""
    host, _, port = server.partition(":")
    domains = [domain] if isinstance(domain, str) else list(domain or [])
    use_tls = port == "587" if tls_mode is None else bool(tls_mode)

    def check(email: str, password: str) -> bool:
        if domains and not any(email.endswith(d) for d in domains):
            return False
        try:
            with smtplib.SMTP(host, int(port or 25), timeout=TIMEOUT) as smtp:
                smtp.ehlo()
                if use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                smtp.login(email, password)
            return True
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("email_auth against %s failed: %s", server, exc)
            return False

    return check


def basic_auth(server: str = "http://127.0.0.1") -> PasswordCheck:
    """A check that asks ``server`` (a URL) whether it accepts the pair over HTTP Basic auth."""

    def check(username: str, password: str) -> bool:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        request = urllib.request.Request(server, headers={"Authorization": f"Basic {token}"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT):  # noqa: S310 - app's URL
                return True
        except (OSError, urllib.error.URLError) as exc:
            log.warning("basic_auth against %s failed: %s", server, exc)
            return False

    return check


def pam_auth(service: str = "login") -> PasswordCheck:
    """A check against the system's PAM ``service`` (needs the ``python-pam`` package)."""

    def check(username: str, password: str) -> bool:
        pam = _optional("pam", "python-pam", "pam_auth")
        return bool(pam.authenticate(username, password, service=service))

    return check


def ldap_auth(server: str = "ldap", port: int | None = None,
              base_dn: str = "ou=users,dc=domain,dc=com", mode: str = "uid",
              secure: bool = False, bind_dn: str | None = None, bind_pw: str | None = None,
              filterstr: str = "objectClass=*", username_attrib: str = "uid",
              **ignored: Any) -> PasswordCheck:
    """A check that binds to the LDAP directory as the user (needs the ``ldap3`` package).

    ``mode='ad'`` binds as ``user@domain`` (Active Directory); otherwise as
    ``<username_attrib>=<user>,<base_dn>``, or after a search when ``bind_dn`` is given.
    """

    def _user_dn(ldap3, directory, username: str) -> str | None:
        if mode == "ad":
            domain = ".".join(part[3:] for part in base_dn.split(",")
                              if part.lower().startswith("dc="))
            return f"{username}@{domain}"
        if not bind_dn:
            return f"{username_attrib}={username},{base_dn}"
        finder = ldap3.Connection(directory, user=bind_dn, password=bind_pw, auto_bind=True)
        from ldap3.utils.conv import escape_filter_chars

        finder.search(base_dn, f"(&({username_attrib}={escape_filter_chars(username)})"
                               f"({filterstr}))")
        found = finder.entries[0].entry_dn if finder.entries else None
        finder.unbind()
        return found

    def check(username: str, password: str) -> bool:
        if not password:  # an empty password is an anonymous bind: never a login
            return False
        ldap3 = _optional("ldap3", "ldap3", "ldap_auth")
        directory = ldap3.Server(server, port=port or (636 if secure else 389), use_ssl=secure,
                                 connect_timeout=TIMEOUT)
        try:
            user_dn = _user_dn(ldap3, directory, username)
            if user_dn is None:
                return False
            connection = ldap3.Connection(directory, user=user_dn, password=password)
            ok = connection.bind()
            connection.unbind()
            return bool(ok)
        except ldap3.core.exceptions.LDAPException as exc:
            log.warning("ldap_auth against %s failed: %s", server, exc)
            return False

    return check
