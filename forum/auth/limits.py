"""How often anyone may try to log in: limits that slow guessing without locking owners out.

Only failures count (a wrong password, or the form sent back): a login that works uses nothing
up. Three limits apply to every attempt:

- per address (IP): one machine trying many accounts;
- per account from one address: one machine guessing one account's password. Counting per
  account alone let a stranger's wrong guesses lock the owner out, their right password
  refused from anywhere; now a stranger's failures block only the stranger's address;
- per account from everywhere, looser: guessing spread over many machines. A browser that has
  logged in to the account before (or reset its password) is exempt, through a signed "known
  device" cookie (OWASP's device cookies), so not even a spread-out attack locks the owner out
  on their own devices. On a new device they wait for the limit to pass, or reset their
  password by email, which makes that device known.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Response, current_app, request, url_for
from flask_limiter.util import get_remote_address

from forum.domain.services import credentials
from forum.errors import DomainError

ADDRESS_FAILURES = "10 per minute;60 per hour"
# An owner mistyping stays well under this; a guesser from one address is stopped quickly.
ACCOUNT_FAILURES_FROM_ONE_ADDRESS = "5 per minute;20 per hour"
# Enough for a few of the owner's own addresses (home, work, phone) to mistype at once.
ACCOUNT_FAILURES_FROM_EVERYWHERE = "30 per hour;100 per day"

KNOWN_DEVICE_COOKIE = "cohort_device"
KNOWN_DEVICE_MAX_AGE = 365 * 24 * 3600  # seconds; a year, like a remembered browser
KNOWN_ACCOUNTS_PER_DEVICE = 5  # a shared family computer; the oldest is forgotten first


def failed(response: Response) -> bool:
    """A login that works redirects; anything else (the form again) is a failure."""
    return response.status_code != 302


def _email() -> str:
    return request.form.get("email", "").strip().lower()


def account_key() -> str:
    return "login-account:" + _email()


def account_from_here_key() -> str:
    return f"login-account:{_email()}:from:{get_remote_address()}"


def _fingerprint(email: str) -> str:
    """Keyed, so the cookie can't be used to check guesses of which addresses used it."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:16]


def _known_accounts() -> list[str]:
    token = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not token:
        return []
    try:
        payload = credentials.read_token("known-device", token, KNOWN_DEVICE_MAX_AGE)
    except DomainError:
        return []
    accounts = payload.get("accounts")
    return [a for a in accounts if isinstance(a, str)] if isinstance(accounts, list) else []


def is_known_device() -> bool:
    """Has this browser logged in to the account being tried? (exempts it from the last limit)"""
    return _fingerprint(_email()) in _known_accounts()


def remember_device(response: Response, email: str) -> Response:
    """Mark this browser as one the owner of `email` uses (after a login or a password reset)."""
    mine = _fingerprint(email)
    accounts = [mine, *(a for a in _known_accounts() if a != mine)][:KNOWN_ACCOUNTS_PER_DEVICE]
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        credentials.make_token("known-device", {"accounts": accounts}),
        max_age=KNOWN_DEVICE_MAX_AGE,
        path=url_for("auth.login"),  # sent nowhere else
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response
