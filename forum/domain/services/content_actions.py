"""What moderators do to a post or reply from its page: edit, remove, restore, lock, pin and
retag, each with a reason the author sees and one log entry. The review queue reuses the
helpers here (reasons, flags resolved, items closed)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from forum.domain import policies
from forum.domain.models import (
    Flag,
    FlagOutcome,
    ModAction,
    Post,
    PostStatus,
    PostTag,
    Reply,
    ReviewItem,
    ReviewState,
    Tag,
    User,
    utcnow,
)
from forum.domain.services import holds, lifecycle, moderation_log, post_text, revisions
from forum.domain.services import tags as tag_service
from forum.errors import Conflict, DomainError
from forum.extensions import db


def require_moderator(actor: User) -> None:
    policies.require(policies.is_moderator(actor), "Only moderators can do that.")


def require_reason(actor: User, obj: Post | Reply | None, reason: str) -> str:
    """A reason is required whenever the content is someone else’s."""
    reason = (reason or "").strip()
    if not reason and (obj is None or obj.author_id != actor.id):
        raise DomainError("Please give a reason: the author will see it.", field="reason")
    return reason


def resolve_flags(obj: Post | Reply, outcome: FlagOutcome) -> int:
    column = Flag.post_id if isinstance(obj, Post) else Flag.reply_id
    result = db.session.execute(
        update(Flag)
        .where(column == obj.id, Flag.outcome == FlagOutcome.PENDING)
        .values(outcome=outcome)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


@dataclass(frozen=True)
class Outcome:
    """What happened, for the author's notification (the web layer sends it)."""

    target: Post | Reply
    action: ModAction
    reason: str
    crisis: bool = (
        False  # its writer may be in crisis (holds.is_crisis): tell them kindly, with help
    )


def moderator_edit(
    target: Post | Reply, actor: User, *, title: str | None, body: str, reason: str
) -> None:

    revisions.apply_staff_edit(target, actor, title=title, body=body)
    moderation_log.log_action(
        actor, ModAction.EDIT, target=target, reason=reason or "Edited by a moderator"
    )


def take_down(
    target: Post | Reply, actor: User, reason: str, *, rule_code: str = "", crisis: bool = False
) -> Outcome:
    lifecycle.remove(target, by=actor, reason=reason)
    resolve_flags(target, FlagOutcome.AGREED)
    close_items(target, actor, "removed")
    moderation_log.log_action(
        actor, ModAction.REMOVE, target=target, reason=reason, rule_code=rule_code
    )
    db.session.commit()
    return Outcome(target, ModAction.REMOVE, reason, crisis=crisis)


def close_items(target: Post | Reply, actor: User, outcome: str) -> None:
    column = ReviewItem.post_id if isinstance(target, Post) else ReviewItem.reply_id
    db.session.execute(
        update(ReviewItem)
        .where(column == target.id, ReviewItem.state == ReviewState.OPEN)
        .values(
            state=ReviewState.HANDLED, handled_by_id=actor.id, handled_at=utcnow(), outcome=outcome
        )
        .execution_options(synchronize_session=False)
    )


def edit(
    target: Post | Reply, *, actor: User, title: str | None, body: str, reason: str
) -> Outcome:
    """A moderator changes someone's published post or reply: a reason the author is told, a
    log entry, and the earlier versions kept from readers (a redaction). Raises NotAllowed,
    Conflict (not published: held writing is edited from the queue), or DomainError(field=...)."""

    require_moderator(actor)
    if not policies.can_edit_as_moderator(actor, target):
        raise Conflict(
            "Only published writing is edited here. Writing that is held or hidden by reports "
            "is edited from the review queue, before it is approved."
        )
    reason = require_reason(actor, target, reason)
    post_text.check_staff_text(target, title=title, body=body)
    moderator_edit(target, actor, title=title, body=body, reason=reason)
    db.session.commit()
    return Outcome(target, ModAction.EDIT, reason)


def remove(target: Post | Reply, *, actor: User, reason: str) -> Outcome:
    require_moderator(actor)
    reason = require_reason(actor, target, reason)
    if target.status is PostStatus.REMOVED:
        raise Conflict("That is already removed.")
    return take_down(target, actor, reason, crisis=holds.is_crisis(holds.open_item(target)))


def restore(target: Post | Reply, *, actor: User, reason: str) -> Outcome:
    require_moderator(actor)
    reason = require_reason(actor, target, reason)
    if target.status not in (PostStatus.REMOVED, PostStatus.REJECTED):
        raise Conflict("That is not removed.")
    lifecycle.publish(target)
    close_items(target, actor, "restored")
    moderation_log.log_action(actor, ModAction.RESTORE, target=target, reason=reason)
    db.session.commit()
    return Outcome(target, ModAction.RESTORE, reason)


def set_locked(post: Post, *, actor: User, locked: bool, reason: str) -> Outcome:
    require_moderator(actor)
    reason = require_reason(actor, post, reason)
    if post.is_locked == locked:
        raise Conflict("It is already locked." if locked else "It is not locked.")
    post.locked_at = utcnow() if locked else None
    action = ModAction.LOCK if locked else ModAction.UNLOCK
    moderation_log.log_action(actor, action, target=post, reason=reason)
    db.session.commit()
    return Outcome(post, action, reason)


def set_pinned(post: Post, tag: Tag, *, actor: User, pinned: bool, reason: str) -> Outcome:
    require_moderator(actor)
    reason = require_reason(actor, post, reason)
    link = db.session.get(PostTag, (post.id, tag.id))
    if link is None:
        raise DomainError(f"This post isn’t tagged {tag.name}.", field="tag")
    link.pinned_at = utcnow() if pinned else None
    tag_service.touch([tag.id])
    action = ModAction.PIN if pinned else ModAction.UNPIN
    moderation_log.log_action(actor, action, target=post, reason=reason, details=f"tag: {tag.name}")
    db.session.commit()
    return Outcome(post, action, reason)


def retag(post: Post, *, actor: User, tag_names: list[str], reason: str) -> Outcome:

    require_moderator(actor)
    reason = require_reason(actor, post, reason)
    old = ", ".join(t.name for t in post.tags)
    new_tags = post_text.resolve_post_tags(tag_names)
    lifecycle.set_tags(post, new_tags)
    moderation_log.log_action(
        actor,
        ModAction.RETAG,
        target=post,
        reason=reason,
        details=f"{old} → {', '.join(t.name for t in new_tags)}",
    )
    db.session.commit()
    return Outcome(post, ModAction.RETAG, reason)


def find_target(model: type[Post] | type[Reply], target_id: int) -> Post | Reply | None:
    """The post or reply a moderator acts on, whatever its state, or None."""
    return db.session.get(model, target_id)


def toggle_pin(post: Post, tag_id: int, *, actor: User, reason: str) -> Tag:
    """Pin the post on one of its tags' pages, or unpin it if it is pinned there; returns the
    tag. Raises as set_pinned does."""
    tag = db.session.get(Tag, tag_id)
    link = db.session.get(PostTag, (post.id, tag_id))
    pinned = link is None or link.pinned_at is None
    set_pinned(post, tag, actor=actor, pinned=pinned, reason=reason)
    return tag
