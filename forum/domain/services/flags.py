"""Reports ("flags") readers raise on posts and replies: how much each one weighs, the daily
cap, and hiding writing for review once enough weight is reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum.domain import policies
from forum.domain.models import (
    Flag,
    FlagOutcome,
    FlagReason,
    ModAction,
    Post,
    PostStatus,
    Reply,
    ReviewItem,
    User,
    UserStatus,
    utcnow,
)
from forum.domain.services import holds, lifecycle, moderation_log, reports, site_settings
from forum.errors import DomainError, NotAllowed
from forum.extensions import db

LONG_STANDING = timedelta(days=90)


def flag_weight(flagger: User) -> float:
    """Moderators' flags weigh most, long-standing members' more than new members'; a member
    whose flags are often rejected weighs less (their accuracy scales the weight)."""
    if policies.is_moderator(flagger):
        base = 3.0
    elif flagger.created_at < utcnow() - LONG_STANDING and holds.approved_count(flagger) >= 5:
        base = 1.5
    elif policies.joined_recently(flagger):
        base = 0.5
    else:
        base = 1.0
    agreed, disagreed = db.session.execute(
        select(
            func.count().filter(Flag.outcome == FlagOutcome.AGREED),
            func.count().filter(Flag.outcome == FlagOutcome.DISAGREED),
        ).where(Flag.flagger_id == flagger.id)
    ).one()
    accuracy = (agreed + 1) / (agreed + disagreed + 2)  # 0.5 with no history
    return round(base * 2 * accuracy, 2)


@dataclass(frozen=True)
class FlagResult:
    hidden: bool  # the flag tipped the content over the threshold
    already: bool = False  # they had reported it before: nothing new is recorded


def flag(
    target: Post | Reply, *, flagger: User, reason: FlagReason, details: str = ""
) -> FlagResult:
    """A verified member reports a post or reply. One flag per member per item (a second report
    is not an error: FlagResult.already); a daily cap. Raises NotAllowed or DomainError."""
    if not flagger.is_verified or flagger.status not in (UserStatus.ACTIVE, UserStatus.SUSPENDED):
        raise NotAllowed("Please confirm your email address before reporting.")
    if target.author_id == flagger.id:
        raise DomainError("You can’t report your own writing; you can edit or delete it instead.")
    if reports.own_report(flagger, target) is not None:
        return FlagResult(hidden=False, already=True)
    details = (details or "").strip()
    if reason is FlagReason.OTHER and not details:
        raise DomainError("Please say briefly what is wrong.", field="details")
    since = utcnow() - timedelta(days=1)
    today = db.session.scalar(
        select(func.count(Flag.id)).where(Flag.flagger_id == flagger.id, Flag.created_at >= since)
    )
    if today >= site_settings.setting("flag_daily_cap"):
        raise DomainError(
            "You have reported a lot today, thank you. Please wait until tomorrow, or contact "
            "the moderators if something is urgent."
        )
    entry = Flag(
        **holds.target_of(target),
        flagger_id=flagger.id,
        reason=reason,
        details=details[:500],
        weight=flag_weight(flagger),
        created_at=utcnow(),
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if reports.own_report(flagger, target) is None:
            raise
        return FlagResult(hidden=False, already=True)  # sent twice at once (a double tap)
    item = holds.open_item(target)
    if item is None:
        item = ReviewItem(**holds.target_of(target), created_at=utcnow())
        db.session.add(item)
    item.flagged = True
    if reason is FlagReason.CRISIS:
        item.urgent = True
    column = Flag.post_id if isinstance(target, Post) else Flag.reply_id
    total = db.session.scalar(
        select(func.coalesce(func.sum(Flag.weight), 0.0)).where(
            column == target.id, Flag.outcome == FlagOutcome.PENDING
        )
    )
    hidden = False
    if target.is_published and total >= site_settings.setting("flag_hide_threshold"):
        lifecycle.unpublish(target, PostStatus.PENDING)
        item.author_reasons = (
            "Several readers reported this, so it is hidden until a moderator has looked at it."
        )
        moderation_log.log_action(
            None, ModAction.HIDE_BY_FLAGS, target=target, reason=f"Flag weight {total:.1f}"
        )
        hidden = True
    db.session.commit()
    return FlagResult(hidden)
