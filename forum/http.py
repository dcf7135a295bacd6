"""Request and response plumbing shared by every page: security headers and Server-Timing."""

from __future__ import annotations

import time

from flask import Flask, Response, g

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


def init_app(app: Flask) -> None:
    timing = bool(app.config.get("SERVER_TIMING"))

    if timing:

        @app.before_request
        def _start_clock() -> None:
            g.request_started = time.perf_counter()

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if timing and "request_started" in g:
            elapsed = (time.perf_counter() - g.request_started) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed:.2f}"
        return response
