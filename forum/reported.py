"""What the reader reported a moment ago, remembered in their session for one page view: the
report screen (moderation/public.py) sets it, the post page (posts/views.py) shows "Reported"
beside it once."""

from __future__ import annotations

from flask import session

from forum.domain.models import Post, Reply

# Session key: what this reader reported a moment ago ("reply-153"), so the post page thanks
# them beside it, once, where the redirect lands (a flash sits at the top, out of view).
JUST_REPORTED = "just_reported"


def report_key(target: Post | Reply) -> str:
    return f"post-{target.id}" if isinstance(target, Post) else f"reply-{target.id}"


def just_reported() -> str | None:
    """The report_key of what this reader reported a moment ago; once."""
    return session.pop(JUST_REPORTED, None)
