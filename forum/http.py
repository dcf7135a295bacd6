"""Request and response plumbing shared by every page: security headers and Server-Timing."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


# The largest id a database integer column holds (PostgreSQL's integer; SQLite's is larger).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number too large for an id is simply not found (404),
    rather than an error from the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def db_id(value: str) -> int:
    """For `request.args.get(name, type=db_id)`: an id, or the default when it cannot be one."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(value)
    return number


# Sent over HTTPS only: a browser that has seen it never tries plain HTTP here for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def init_app(app: Flask) -> None:
    timing = bool(app.config.get("SERVER_TIMING"))
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        # The client's address, scheme and host as the proxies in front saw them; without this,
        # every per-address rate limit would count the whole site as one address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    if timing:

        @app.before_request
        def _start_clock() -> None:
            g.request_started = time.perf_counter()

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        if timing and "request_started" in g:
            elapsed = (time.perf_counter() - g.request_started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed:.2f}"
        return response
