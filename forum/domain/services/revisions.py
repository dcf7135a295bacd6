"""Earlier versions of posts and replies: keeping the replaced text on every edit, moderators'
redactions, and the history each viewer may read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from forum.domain import policies
from forum.domain.models import (
    Post,
    Reply,
    Revision,
    User,
    utcnow,
)
from forum.domain.services import lifecycle
from forum.errors import NotFound
from forum.extensions import db


@dataclass(frozen=True)
class Version:
    """One version of a post or reply in its history. `withheld` stands in for the versions a
    moderator edited away, which this viewer may not read: it is dated when that happened."""

    title: str | None
    body: str
    written_at: datetime
    current: bool
    before_publication: bool = False
    redacted: bool = False
    withheld: bool = False


def _revision_column(obj: Post | Reply):
    return Revision.post_id if isinstance(obj, Post) else Revision.reply_id


def keep_revision(obj: Post | Reply, actor: User) -> None:
    """Store the version an edit is about to replace, dated when it was written, and marked
    when readers never saw it (nothing of it had been published yet)."""
    target = {"post_id": obj.id} if isinstance(obj, Post) else {"reply_id": obj.id}
    db.session.add(
        Revision(
            **target,
            title=getattr(obj, "title", None),
            body=obj.body,
            editor_id=actor.id,  # whose edit replaced this version
            written_at=obj.edited_at or obj.published_at or obj.created_at,
            before_publication=obj.published_at is None,
        )
    )


def apply_staff_edit(obj: Post | Reply, actor: User, *, title: str | None, body: str) -> None:
    """A moderator's change to someone's text, in the caller's transaction (it is logged
    there). The replaced version is kept; once the text has been public, the change is a
    redaction and every earlier version is kept from readers (policies.can_see_revision)."""
    keep_revision(obj, actor)
    if isinstance(obj, Post) and title:
        obj.title = " ".join(title.split())
        obj.slug = lifecycle.slug_for(obj.title, obj.kind)  # the old title may be what had to go
    lifecycle.refresh_text(obj, body)
    obj.edited_at = utcnow()
    if obj.published_at is not None:
        db.session.flush()
        db.session.execute(
            update(Revision).where(_revision_column(obj) == obj.id).values(redacted=True)
        )
    if isinstance(obj, Post):
        lifecycle.sync_listing(obj)  # cards show the title and excerpt


def history(obj: Post | Reply, *, viewer) -> list[Version]:
    """Every version of a post or reply that `viewer` may read (policies.can_see_revision),
    the current one first. Raises NotFound."""
    if not policies.can_see_history(viewer, obj):
        raise NotFound("We couldn’t find the history of that post.")
    column = _revision_column(obj)
    revisions = db.session.scalars(
        select(Revision).where(column == obj.id).order_by(Revision.id)
    ).all()
    shown = [r for r in revisions if policies.can_see_revision(viewer, obj, r)]
    earlier = [
        Version(r.title, r.body, r.written_at, False, r.before_publication, r.redacted)
        for r in shown
    ]
    # Redacted versions are always the oldest ones: one notice in their place, dated by the
    # moderator's latest edit. Versions from before publication are simply not there.
    withheld = [r for r in revisions if r.redacted and r not in shown]
    if withheld:
        earlier.insert(0, Version(None, "", withheld[-1].created_at, False, withheld=True))
    current = Version(
        getattr(obj, "title", None),
        obj.body,
        obj.edited_at or obj.published_at or obj.created_at,
        current=True,
    )
    return [current, *reversed(earlier)]
