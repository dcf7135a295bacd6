"""Publish or hold: the one place that decides, for every new post, reply and edit, whether it
is published at once or held for a moderator.

Members' first contributions are held (the `held_first_posts` setting, 3 by default), and the
screening rules may hold anything, or hold it urgently. Whatever holds content opens a
ReviewItem and logs the hold; the author is told why in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from forum.domain import policies
from forum.domain.models import (
    Flag,
    FlagReason,
    ModAction,
    Post,
    PostStatus,
    Reply,
    ReviewItem,
    ReviewState,
    RuleCategory,
    User,
    utcnow,
)
from forum.domain.services import moderation_log, screening, site_settings
from forum.errors import DomainError, NotAllowed
from forum.extensions import db


@dataclass(frozen=True)
class Decision:
    status: PostStatus
    reasons: list[str] = field(default_factory=list)  # in plain words, for the author
    urgent: bool = False
    crisis: bool = False
    mod_reasons: list[str] = field(default_factory=list)  # for moderators
    codes: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.status is PostStatus.PENDING


class NeedsConfirmation(DomainError):
    """Personal information was found: show the author what, and let them edit or send anyway."""

    def __init__(self, found: screening.Screening) -> None:
        super().__init__(
            "We found something that may be personal information. Please check it below.",
            field=None,
        )
        self.findings = found.warnings


def approved_count(user: User) -> int:
    posts = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.author_id == user.id, Post.status == PostStatus.PUBLISHED
        )
    )
    replies = db.session.scalar(
        select(func.count(Reply.id)).where(
            Reply.author_id == user.id, Reply.status == PostStatus.PUBLISHED
        )
    )
    return (posts or 0) + (replies or 0)


def is_new_member(user: User) -> bool:
    """New to screening's rules (new-members-only rules apply): joined recently
    (policies.joined_recently), or still among their first contributions, which are held."""
    return policies.joined_recently(user) or approved_count(user) < site_settings.setting(
        "held_first_posts"
    )


def decide(
    author: User,
    *,
    title: str = "",
    body: str = "",
    is_edit: bool = False,
    confirmed: bool = False,
) -> Decision:
    """Publish or hold `author`'s text. Raises NotAllowed if they may not post at all, and
    NeedsConfirmation when personal information should be shown to them first."""
    reason = policies.why_cannot_post(author)
    if reason is not None:
        raise NotAllowed(reason)
    if policies.is_moderator(author):
        return Decision(PostStatus.PUBLISHED)
    new_member = is_new_member(author)
    found = screening.screen(
        f"{title}\n\n{body}", rules=screening.active_rules(), new_member=new_member
    )
    if found.warnings and not confirmed:
        raise NeedsConfirmation(found)
    reasons = list(dict.fromkeys(f.rule.message for f in found.findings))
    mod_reasons = [
        f"{f.rule.code}: {f.rule.reason} Found: {', '.join(f.matched)}" for f in found.findings
    ]
    held = bool(found.findings)
    if not is_edit and approved_count(author) < site_settings.setting("held_first_posts"):
        held = True
        reasons.append(
            "A moderator reads new members’ first posts before they appear. This is routine, "
            "usually takes less than a day, and nothing you did wrong."
        )
        mod_reasons.append("new-member: one of this member’s first posts")
    return Decision(
        PostStatus.PENDING if held else PostStatus.PUBLISHED,
        reasons=reasons,
        urgent=found.urgent,
        crisis=found.crisis,
        mod_reasons=mod_reasons,
        codes=found.codes,
    )


def target_of(obj: Post | Reply) -> dict:
    return {"post_id": obj.id} if isinstance(obj, Post) else {"reply_id": obj.id}


def open_item(obj: Post | Reply) -> ReviewItem | None:
    column = ReviewItem.post_id if isinstance(obj, Post) else ReviewItem.reply_id
    return db.session.scalar(
        select(ReviewItem).where(column == obj.id, ReviewItem.state == ReviewState.OPEN)
    )


def record(obj: Post | Reply, decision: Decision, *, waiting: bool = False) -> None:
    """After a post/reply is built or edited with `decision`: open (or refresh) its review item
    and log the hold. `waiting`: it was already held or rejected and stays in (or goes back to)
    the queue whatever this edit's screening says. Part of the caller's transaction."""
    if not decision.held and not waiting:
        return
    db.session.flush()
    item = open_item(obj)
    if item is None:
        item = ReviewItem(**target_of(obj), created_at=utcnow())
        db.session.add(item)
    item.urgent = item.urgent or decision.urgent
    if not decision.held:
        note = "Edited by the author while waiting for review."
        if obj.removal_reason:
            note = f"Revised and sent again after a moderator said: {obj.removal_reason}"
        item.reasons = "\n".join(filter(None, [item.reasons, note]))
        item.author_reasons = item.author_reasons or (
            "A moderator will read your changes before they appear."
        )
        return
    item.reasons = "\n".join(decision.mod_reasons)
    item.author_reasons = "\n".join(decision.reasons)
    item.rule_codes = ",".join(decision.codes)
    moderation_log.log_action(
        None,
        ModAction.HOLD,
        target=obj,
        reason="; ".join(decision.mod_reasons),
        rule_code=",".join(decision.codes),
    )


def hold_notice(obj: Post | Reply) -> ReviewItem | None:
    """The open review item of a held post or reply, for "waiting for review" in plain words."""
    return open_item(obj)


def is_crisis(item: ReviewItem | None) -> bool:
    """Held because its writer may be in crisis: a crisis rule matched, or a reader reported it
    as such. The writer is shown the crisis resources then, and told any outcome kindly."""
    if item is None:
        return False
    codes = screening.split_codes(item.rule_codes)
    if RuleCategory.CRISIS in screening.rule_categories(codes).values():
        return True
    if not item.flagged:
        return False
    column = Flag.post_id if item.post_id else Flag.reply_id
    crisis_flag = select(Flag.id).where(
        column == (item.post_id or item.reply_id), Flag.reason == FlagReason.CRISIS
    )
    return db.session.scalar(crisis_flag.limit(1)) is not None
