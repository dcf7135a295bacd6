"""Email: every message is a row in the outbox first, delivered after the response is sent.

queue() renders templates/email/<name>.txt (and .html if present) into an OutboxEmail in the
caller's transaction. After the request's response has gone out, deliver_pending() sends what
is waiting: by SMTP when SMTP_URL is set, otherwise it prints the message to the server log
(development). Delivering after the response keeps requests fast and keeps timing from
revealing whether, say, a password reset found an account. Tests read the outbox table.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from flask import (
    after_this_request,
    current_app,
    has_request_context,
    render_template,
    url_for,
)
from jinja2 import TemplateNotFound
from sqlalchemy import select

from forum.domain.models import OutboxEmail, utcnow
from forum.domain.services import credentials
from forum.extensions import db

MAX_ATTEMPTS = 5


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email or a feed, on SITE_URL when it is set.

    Never from the request's Host header when SITE_URL is set: a password reset asked for with
    "Host: evil.example" must still send the member a link to this site. Without SITE_URL
    (development, tests) links follow the request, or the default address outside one."""
    config = current_app.config
    if has_request_context() and not config.get("SITE_URL_SET"):
        return url_for(endpoint, _external=True, **values)
    site = urlsplit(config["SITE_URL"])
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme or "https"
    )
    anchor = values.pop("_anchor", None)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def unsubscribe_url(user) -> str:
    token = credentials.make_token("unsubscribe", {"uid": user.id})
    return external_url("feeds.unsubscribe", token=token)


def queue(
    to: str, subject: str, template: str, *, headers: dict[str, str] | None = None, **context
) -> OutboxEmail:
    """Add an email to the outbox (the caller commits); delivery follows the response.

    Every email to a member carries a one-click unsubscribe link (RFC 8058 headers, and in
    the footer): it turns off digests and notification emails, with no login needed."""
    headers = dict(headers or {})
    user = context.get("user")
    if user is not None and getattr(user, "id", None):
        context["unsubscribe"] = unsubscribe_url(user)
        headers.setdefault("List-Unsubscribe", f"<{context['unsubscribe']}>")
        headers.setdefault("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
    body_text = render_template(f"email/{template}.txt", **context)
    try:
        body_html = render_template(f"email/{template}.html", **context)
    except TemplateNotFound:
        body_html = None
    email = OutboxEmail(
        to_address=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers="\n".join(f"{k}: {v}" for k, v in (headers or {}).items()),
    )
    db.session.add(email)
    _deliver_after_response()
    return email


def send(to: str, subject: str, template: str, **context) -> OutboxEmail:
    """queue() and commit, for emails that follow an already committed change."""
    email = queue(to, subject, template, **context)
    db.session.commit()
    return email


def _deliver_after_response() -> None:
    if not has_request_context():
        return
    app = current_app._get_current_object()

    @after_this_request
    def _schedule(response):
        def _deliver() -> None:
            with app.app_context():
                deliver_pending()

        response.call_on_close(_deliver)
        return response


def deliver_pending(limit: int = 50) -> int:
    """Send (or log) unsent emails, oldest first. Returns how many went out."""
    pending = db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.sent_at.is_(None), OutboxEmail.attempts < MAX_ATTEMPTS)
        .order_by(OutboxEmail.id)
        .limit(limit)
    ).all()
    sent = 0
    for email in pending:
        email.attempts += 1
        try:
            _transport(email)
        except (OSError, smtplib.SMTPException) as err:
            email.last_error = f"{type(err).__name__}: {err}"[:2000]
            current_app.logger.warning("Email %s to %s failed: %s", email.id, email.to_address, err)
        else:
            email.sent_at = utcnow()
            email.last_error = None
            sent += 1
        db.session.commit()
    return sent


def _message(email: OutboxEmail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = formataddr(("", email.to_address))
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain="cohort")
    for line in filter(None, email.headers.splitlines()):
        name, _, value = line.partition(": ")
        message[name] = value
    message.set_content(email.body_text)
    if email.body_html:
        message.add_alternative(email.body_html, subtype="html")
    return message


def _transport(email: OutboxEmail) -> None:
    url = current_app.config.get("SMTP_URL")
    if not url:
        current_app.logger.info(
            "Email (not sent: SMTP_URL is not set)\nTo: %s\nSubject: %s\n\n%s",
            email.to_address,
            email.subject,
            email.body_text,
        )
        return
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    host, port = parts.hostname or "localhost", parts.port
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        client = smtplib.SMTP_SSL(host, port or 465, timeout=20, context=context)
    else:
        client = smtplib.SMTP(host, port or 587, timeout=20)
    with client:
        if parts.scheme == "smtp" and options.get("starttls", ["1"])[0] not in ("0", "false"):
            client.starttls(context=context)
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(_message(email))
