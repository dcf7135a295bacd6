"""The review queue: held and reported writing, urgent first, and what a moderator decides
about an item (approve, edit then approve, reject, remove, ignore the reports).

Handling an item is a conditional UPDATE, so two moderators never act on it twice: the second
is told who handled it first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from forum.domain.models import (
    Flag,
    FlagOutcome,
    ModAction,
    Post,
    PostStatus,
    Reply,
    ReviewItem,
    ReviewState,
    User,
    utcnow,
)
from forum.domain.services import (
    content_actions,
    holds,
    lifecycle,
    moderation_log,
    notifications,
    post_text,
)
from forum.errors import Conflict, NotFound
from forum.extensions import db


@dataclass(frozen=True)
class AuthorHistory:
    joined: datetime | None
    approved: int
    rejected: int


@dataclass(frozen=True)
class QueueEntry:
    item: ReviewItem
    target: Post | Reply
    author: User | None
    history: AuthorHistory
    flags: list[Flag]


_ITEM_OPTIONS = (
    joinedload(ReviewItem.post).joinedload(Post.author),
    joinedload(ReviewItem.post).selectinload(Post.tags),
    joinedload(ReviewItem.reply).joinedload(Reply.author),
    joinedload(ReviewItem.reply).joinedload(Reply.post),
)


def queue(*, limit: int = 50) -> list[QueueEntry]:
    """Open items, urgent first, then oldest first, with what a moderator needs to decide.
    A fixed number of queries, whatever the queue's length."""
    items = db.session.scalars(
        select(ReviewItem)
        .where(ReviewItem.state == ReviewState.OPEN)
        .order_by(ReviewItem.urgent.desc(), ReviewItem.created_at, ReviewItem.id)
        .options(*_ITEM_OPTIONS)
        .limit(limit)
    ).all()
    return _entries(items)


def find_item(item_id: int) -> ReviewItem | None:
    """A review item (open or handled) whose post or reply still exists, or None."""
    item = db.session.get(ReviewItem, item_id)
    if item is None or (item.post is None and item.reply is None):
        return None
    return item


def entry(item: ReviewItem) -> QueueEntry | None:
    """What the queue shows of one open item (None once handled), in the same few queries."""
    if item.state is not ReviewState.OPEN:
        return None
    found = _entries([item])
    return found[0] if found else None


def _entries(items: list[ReviewItem]) -> list[QueueEntry]:
    """Items with their authors' histories and pending flags: a fixed number of queries."""
    targets = [i.post or i.reply for i in items]
    author_ids = {t.author_id for t in targets if t is not None and t.author_id}
    history = author_histories(author_ids)
    post_ids = [i.post_id for i in items if i.post_id]
    reply_ids = [i.reply_id for i in items if i.reply_id]
    flags = db.session.scalars(
        select(Flag)
        .where(
            Flag.outcome == FlagOutcome.PENDING,
            or_(Flag.post_id.in_(post_ids), Flag.reply_id.in_(reply_ids)),
        )
        .options(joinedload(Flag.flagger))
        .order_by(Flag.created_at)
    ).all()
    entries = []
    for item, target in zip(items, targets, strict=True):
        if target is None:
            continue
        mine = [
            f
            for f in flags
            if (item.post_id and f.post_id == item.post_id)
            or (item.reply_id and f.reply_id == item.reply_id)
        ]
        entries.append(
            QueueEntry(
                item,
                target,
                target.author,
                history.get(target.author_id, AuthorHistory(None, 0, 0)),
                mine,
            )
        )
    return entries


def author_histories(author_ids: set[int]) -> dict[int, AuthorHistory]:
    if not author_ids:
        return {}
    counts: dict[int, dict[str, int]] = {a: {"approved": 0, "rejected": 0} for a in author_ids}
    for model in (Post, Reply):
        rows = db.session.execute(
            select(model.author_id, model.status, func.count())
            .where(model.author_id.in_(author_ids))
            .group_by(model.author_id, model.status)
        )
        for author_id, status, n in rows:
            if status is PostStatus.PUBLISHED:
                counts[author_id]["approved"] += n
            elif status in (PostStatus.REJECTED, PostStatus.REMOVED):
                counts[author_id]["rejected"] += n
    joined = dict(
        db.session.execute(select(User.id, User.created_at).where(User.id.in_(author_ids))).all()
    )
    return {
        a: AuthorHistory(joined.get(a), c["approved"], c["rejected"]) for a, c in counts.items()
    }


def open_count() -> tuple[int, int]:
    """(open items, urgent ones) for the moderators' header."""
    total, urgent = db.session.execute(
        select(func.count(), func.count().filter(ReviewItem.urgent.is_(True))).where(
            ReviewItem.state == ReviewState.OPEN
        )
    ).one()
    return total, urgent


REJECTION_TEMPLATES = [
    "It contains personal information that could identify someone.",
    "It reads as advertising or promotion.",
    "It tells other members how to dose or stop a medicine; please share your own experience "
    "instead.",
    "It isn’t about living with a medicine or condition.",
    "It is unkind to another member.",
]


def _claim(item_id: int, actor: User, outcome: str) -> ReviewItem:
    """Take an open item for `actor`, or raise Conflict naming who handled it first."""
    result = db.session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == item_id, ReviewItem.state == ReviewState.OPEN)
        .values(
            state=ReviewState.HANDLED, handled_by_id=actor.id, handled_at=utcnow(), outcome=outcome
        )
        .execution_options(synchronize_session=False)
    )
    item = db.session.get(ReviewItem, item_id, populate_existing=True)
    if item is None:
        raise NotFound("That item is no longer in the queue.")
    if result.rowcount == 0:
        who = item.handled_by.pseudonym if item.handled_by else "another moderator"
        when = f" at {item.handled_at:%H:%M}" if item.handled_at else ""
        raise Conflict(
            f"Already handled by {who}{when} ({item.outcome or 'done'}). Nothing was changed."
        )
    return item


def approve(
    item_id: int,
    *,
    actor: User,
    title: str | None = None,
    body: str | None = None,
    reason: str = "",
) -> content_actions.Outcome:
    """Publish a held or flagged item, optionally after editing it ("edit then approve").
    Raises NotAllowed, Conflict (handled already), or DomainError(field=...) for the text."""
    content_actions.require_moderator(actor)
    if body is not None:
        item = db.session.get(ReviewItem, item_id)
        if item is not None and (item.post or item.reply) is not None:
            post_text.check_staff_text(item.post or item.reply, title=title, body=body)
    item = _claim(item_id, actor, "approved")
    target = item.post or item.reply
    if body is not None:
        content_actions.moderator_edit(target, actor, title=title, body=body, reason=reason)
    first = lifecycle.publish(target)
    # Editing before approving agrees with the reports (something needed changing).
    content_actions.resolve_flags(
        target, FlagOutcome.AGREED if body is not None else FlagOutcome.DISAGREED
    )
    moderation_log.log_action(
        actor, ModAction.APPROVE, target=target, reason=reason, rule_code=item.rule_codes
    )
    db.session.commit()
    if first:
        notifications.announce(target)
    return content_actions.Outcome(target, ModAction.APPROVE, reason)


def reject(item_id: int, *, actor: User, reason: str) -> content_actions.Outcome:
    """Not published: the author is told why and keeps their text to revise and resubmit."""
    item, reason = _claim_with_reason(item_id, actor, reason, "rejected")
    target = item.post or item.reply
    crisis = holds.is_crisis(item)
    lifecycle.reject(target, reason=reason)
    content_actions.resolve_flags(target, FlagOutcome.AGREED)
    moderation_log.log_action(
        actor, ModAction.REJECT, target=target, reason=reason, rule_code=item.rule_codes
    )
    db.session.commit()
    return content_actions.Outcome(target, ModAction.REJECT, reason, crisis=crisis)


def remove_item(item_id: int, *, actor: User, reason: str) -> content_actions.Outcome:
    item, reason = _claim_with_reason(item_id, actor, reason, "removed")
    return content_actions.take_down(
        item.post or item.reply,
        actor,
        reason,
        rule_code=item.rule_codes,
        crisis=holds.is_crisis(item),
    )


def ignore_flags(item_id: int, *, actor: User, reason: str = "") -> content_actions.Outcome:
    """The flags were wrong: clear them, and show the content again if flags had hidden it."""
    content_actions.require_moderator(actor)
    item = _claim(item_id, actor, "flags ignored")
    target = item.post or item.reply
    if target.status is PostStatus.PENDING and item.flagged and not item.rule_codes:
        lifecycle.publish(target)
    content_actions.resolve_flags(target, FlagOutcome.DISAGREED)
    moderation_log.log_action(actor, ModAction.DISAGREE_FLAGS, target=target, reason=reason)
    db.session.commit()
    return content_actions.Outcome(target, ModAction.DISAGREE_FLAGS, reason)


def _claim_with_reason(
    item_id: int, actor: User, reason: str, outcome: str
) -> tuple[ReviewItem, str]:
    """A moderator's decision that needs a reason (the author sees it): check both, then claim
    the item. Raises NotAllowed, DomainError(field="reason"), NotFound or Conflict."""
    content_actions.require_moderator(actor)
    item = db.session.get(ReviewItem, item_id)
    target = (item.post or item.reply) if item else None
    reason = content_actions.require_reason(actor, target, reason)
    return _claim(item_id, actor, outcome), reason
