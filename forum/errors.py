"""The DomainError family, and the HTTP error pages.

Services raise DomainError subclasses with a message that says what happened and what the person
can do next; views put it on the form (re-rendered with everything typed) or let it reach the
handlers below, which answer with a calm page and the right status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError


class DomainError(Exception):
    """A rule said no. `field` names the form field the message belongs to, if any."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Problems(DomainError):
    """Several things to fix at once, each on its own field: people fix a form in one go."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """Someone else changed it first (e.g. another moderator handled the item)."""

    status_code = 409


@dataclass(frozen=True)
class Removal:
    what: str  # "story", "thread", "reply", "article"
    removed_at: datetime
    by_author: bool
    reason: str | None


class Removed(DomainError):
    """Gone on purpose: readers get a 410 page saying who removed it and why."""

    status_code = 410

    def __init__(self, removal: Removal) -> None:
        super().__init__(f"This {removal.what} was removed.")
        self.removal = removal


PAGES_OF_THEIR_OWN = (403, 404, 410, 500)


def _seconds_to_reset() -> int | None:
    import time

    from forum.extensions import limiter

    current = limiter.current_limit
    if current is None:
        return None
    return max(1, int(current.reset_at - time.time()))


def _retry_message() -> str:
    seconds = _seconds_to_reset()
    if seconds is None:
        wait = "a little while"
    elif seconds < 90:
        wait = "a minute"
    elif seconds < 3600:
        wait = f"{round(seconds / 60)} minutes"
    else:
        wait = f"about {round(seconds / 3600)} hour{'s' if seconds >= 5400 else ''}"
    return (
        "That has been tried too many times in a short while, so we have paused it to keep "
        f"accounts safe. Please try again in {wait}. Anything you typed is still in your "
        "browser: use the back button."
    )


def _retry_headers() -> dict[str, str]:
    seconds = _seconds_to_reset()
    return {"Retry-After": str(seconds)} if seconds else {}


def _page(status: int, **context):
    name = f"errors/{status}.html" if status in PAGES_OF_THEIR_OWN else "errors/generic.html"
    return render_template(name, status=status, **context), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        if isinstance(err, Removed):
            return _page(410, removal=err.removal)
        status = err.status_code if err.status_code in (400, 403, 404, 409) else 400
        return _page(status, message=err.message)

    @app.errorhandler(CSRFError)
    def csrf_failed(err):
        # Never lose what someone wrote: show it back (escaped) so it can be copied.
        kept = [
            (name, value)
            for name, value in request.form.items(multi=True)
            if value.strip() and name != "csrf_token" and "password" not in name
        ]
        return render_template("errors/csrf.html", kept=kept), 400

    @app.errorhandler(429)
    def too_many(err):
        body, status = _page(429, message=_retry_message())
        return body, status, _retry_headers()

    @app.errorhandler(SecurityError)
    def untrusted_host(err: SecurityError):
        # A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no page either.
        return "Unknown host.", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        if status >= 500:
            return err
        # Our own pages speak for 403/404/410; others carry Werkzeug's short description.
        message = None if status in PAGES_OF_THEIR_OWN else err.description
        return _page(status, message=message)

    @app.errorhandler(500)
    def server_error(err):
        # Flask has already logged the exception with its traceback (Flask.log_exception).
        from forum.extensions import db

        db.session.rollback()
        return _page(500)
