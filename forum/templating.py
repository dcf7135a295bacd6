"""Jinja filters and globals: formatting, user text, and the policy predicates."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_login import current_user
from markupsafe import Markup

from forum.domain import policies
from forum.domain.services import tags as tag_service
from forum.domain.services.conversations import header_counts
from forum.domain.services.listings import sorted_tags
from forum.domain.services.review_queue import open_count
from forum.text import excerpt, lead, render_user_text, rendered


def when(value: datetime | date | None) -> str:
    """'22 Nov 2026' (UTC). Absolute dates read well, and cached pages never go stale."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def when_time(value: datetime | None) -> str:
    """'22 Nov 2026, 14:05 UTC': for private pages where the minute matters (drafts)."""
    if value is None:
        return ""
    return f"{when(value)}, {value:%H:%M} UTC"


def isodate(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def user_text(value, min_heading: int = 3) -> Markup:
    """Safe HTML for user Markdown: a RenderedMixin object (cached) or a plain string."""
    wiki = tag_service.wiki_resolver()
    if isinstance(value, str):
        return render_user_text(value, min_heading=min_heading, wiki=wiki)
    return rendered(value, min_heading=min_heading, wiki=wiki)


def user_text_lead(value, min_heading: int = 3) -> tuple[Markup, bool]:
    """(opening of the text, whether more follows) for a RenderedMixin object."""
    return lead(value, min_heading=min_heading, wiki=tag_service.wiki_resolver())


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        when=when,
        when_time=when_time,
        isodate=isodate,
        user_text=user_text,
        user_text_lead=user_text_lead,
        plural=plural,
        excerpt=excerpt,
        tag_order=sorted_tags,
    )
    app.jinja_env.globals.update(
        site_name="Cohort",
        can_see_post=policies.can_see_post,
        can_read_removed_text=policies.can_read_removed_text,
        is_moderator=policies.is_moderator,
        is_editor=policies.is_editor,
        is_admin=policies.is_admin,
        can_flag=policies.can_flag,
        can_post=policies.can_post,
        why_cannot_post=policies.why_cannot_post,
        can_reply=policies.can_reply,
        why_cannot_reply=policies.why_cannot_reply,
        can_edit=policies.can_edit,
        can_edit_as_moderator=policies.can_edit_as_moderator,
        can_delete=policies.can_delete,
        can_see_history=policies.can_see_history,
        can_delete_own=policies.can_delete_own,
        can_appeal=policies.can_appeal,
    )

    @app.context_processor
    def moderation_counts():
        """Moderators see how much is waiting, in the header (one query, staff only)."""
        counts = {}
        if not current_user:  # a proxy to None outside a request (emails from the CLI or a job)
            return counts
        if current_user.is_authenticated:
            # Notifications and Messages share one query (tests/**/test_query_bounds.py).
            unread = header_counts(current_user)
            counts["unread_notifications"], counts["unread_messages"] = unread
        if policies.is_moderator(current_user):
            total, urgent = open_count()
            counts.update(queue_open=total, queue_urgent=urgent)
        return counts

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
