"""web2py's ``Recaptcha2``: Google's "I'm not a robot" box inside a form, checked on submit.

``form = FORM(..., Recaptcha2(public_key='...', private_key='...'))``: the box shows with
Google's script; when the form is posted, the answer the browser got
(``g-recaptcha-response``) is sent to ``VERIFY_SERVER`` with the private key and the visitor's
address, and the form is accepted only when Google says ``"success": true``. Anything else —
no answer, a refusal, a verification service that cannot be reached or answers nonsense —
fails closed: the form is not accepted and ``form.errors.captcha`` says why.

The box itself is Google's (its script comes from ``API_URI``): a page with a captcha needs the
network, as the service does. ``VERIFY_SERVER`` and ``API_URI`` are class attributes, as in
web2py, so a test or an app can point them elsewhere.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from server.current import current
from server.helpers import DIV, SCRIPT, TAG, TEXTAREA
from server.helpers.tags import IFRAME
from server.storage import Storage

log = logging.getLogger("pocketweb.recaptcha")
TIMEOUT = 10  # seconds to wait for the verification service
UNREACHABLE = "The captcha could not be checked (the verification service did not answer)"


class Recaptcha2(DIV):
    """``Recaptcha2(request=None, public_key='', private_key='', error_message='invalid',
    label='Verify:', options=None, comment='')``; ``options`` become ``data-*`` attributes of
    the box (``theme``, ``size``, ``tabindex``, ``callback``, ...), and ``hl`` its language."""

    API_URI = "https://www.google.com/recaptcha/api.js"
    VERIFY_SERVER = "https://www.google.com/recaptcha/api/siteverify"

    def __init__(self, request: Any = None, public_key: str = "", private_key: str = "",
                 error_message: str = "invalid", label: str = "Verify:",
                 options: dict | None = None, comment: str = ""):
        super().__init__()
        request = request or current.request
        self.request_vars = request.vars
        self.remote_addr = (request.env or {}).get("remote_addr")
        self.public_key, self.private_key = public_key, private_key
        self.error_message, self.label, self.comment = error_message, label, comment
        self.options = dict(options or {})
        self.errors = Storage()

    def _validate(self) -> bool:
        """Called by the form on submit: True only when Google confirms the answer."""
        answer = self.request_vars.pop("g-recaptcha-response", None)
        if isinstance(answer, list):
            answer = answer[-1] if answer else None
        if not answer or not isinstance(answer, str):
            return self._fail(self.error_message)
        try:
            verdict = self.verify(answer)
        except (OSError, ValueError) as problem:
            log.warning("recaptcha verification failed: %s", problem)
            return self._fail(UNREACHABLE)
        if isinstance(verdict, dict) and verdict.get("success") is True:
            self.request_vars.captcha = ""
            return True
        return self._fail(self.error_message)

    def verify(self, answer: str) -> Any:
        """Google's verdict on ``answer``: the JSON it sends back from ``VERIFY_SERVER``."""
        fields = {"secret": self.private_key, "response": answer}
        if self.remote_addr:
            fields["remoteip"] = self.remote_addr
        request = Request(self.VERIFY_SERVER, urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "reCAPTCHA Python"})
        with urlopen(request, timeout=TIMEOUT) as reply:
            return json.loads(reply.read().decode("utf8"))

    def _fail(self, message: str) -> bool:
        self.errors["captcha"] = message
        return False

    def xml(self) -> str:
        options = dict(self.options)
        language = options.pop("hl", None)
        script = self.API_URI + (f"?{urlencode({'hl': language})}" if language else "")
        box = DIV(SCRIPT(_src=script, _async=True, _defer=True),
                  DIV(_class="g-recaptcha", data={"sitekey": self.public_key, **options}),
                  TAG.noscript(self._fallback()))
        if self.errors.get("captcha"):
            box.append(DIV(self.errors["captcha"], _class="error", _role="alert"))
        return box.xml()

    def _fallback(self) -> Any:
        """Without JavaScript: Google's fallback frame and the box the visitor pastes into."""
        frame = IFRAME(_src="https://www.google.com/recaptcha/api/fallback?"
                            + urlencode({"k": self.public_key}),
                       _title="reCAPTCHA", _style="width: 302px; height: 422px; border: none;")
        answer = TEXTAREA(_id="g-recaptcha-response", _name="g-recaptcha-response",
                          _class="g-recaptcha-response", _style="width: 250px; height: 40px;",
                          **{"_aria-label": "reCAPTCHA answer"})
        return DIV(frame, DIV(answer), _style="width: 302px;")
