"""Where new writing goes: published at once, or held for review.

`decide()` is the one place that makes this choice for every new post, reply and edit. The
moderation issue extends it (new members' first posts, screening rules); for now, members who
may post at all publish directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forum.domain import policies
from forum.domain.models import PostStatus, User
from forum.errors import NotAllowed


@dataclass(frozen=True)
class Decision:
    status: PostStatus
    reasons: list[str] = field(default_factory=list)  # in plain words, for the author
    urgent: bool = False


def decide(author: User, *, title: str = "", body: str = "", is_edit: bool = False) -> Decision:
    """Publish or hold `author`'s new text. Raises NotAllowed if they may not post at all."""
    reason = policies.why_cannot_post(author)
    if reason is not None:
        raise NotAllowed(reason)
    return Decision(PostStatus.PUBLISHED)
