"""What a reader has reported, as they see it: "Reported" in place of the report link, and a
calm note (not an error) when they open or send a report a second time.

Raising a report is flags.flag; this module only reads a reader's own flags.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from forum.domain.models import Flag, Post, Reply
from forum.extensions import db


@dataclass(frozen=True)
class Reported:
    """The post and replies on one page that one reader has reported."""

    post_ids: frozenset[int] = frozenset()
    reply_ids: frozenset[int] = frozenset()

    def includes(self, obj: Post | Reply) -> bool:
        return obj.id in (self.post_ids if isinstance(obj, Post) else self.reply_ids)


def reported_on_page(viewer, post: Post) -> Reported:
    """What `viewer` has reported of `post` and its replies: one query however many replies
    (none for anonymous readers)."""
    if not getattr(viewer, "is_authenticated", False):
        return Reported()
    rows = db.session.execute(
        select(Flag.post_id, Flag.reply_id).where(
            Flag.flagger_id == viewer.id,
            or_(
                Flag.post_id == post.id,
                Flag.reply_id.in_(select(Reply.id).where(Reply.post_id == post.id)),
            ),
        )
    ).all()
    return Reported(
        frozenset(row.post_id for row in rows if row.post_id is not None),
        frozenset(row.reply_id for row in rows if row.reply_id is not None),
    )


def own_report(viewer, target: Post | Reply) -> Flag | None:
    """`viewer`'s report of `target`, if they have made one (one per member per item)."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    column = Flag.post_id if isinstance(target, Post) else Flag.reply_id
    return db.session.scalar(select(Flag).where(Flag.flagger_id == viewer.id, column == target.id))
