"""Moderation: where new writing goes, the review queue, flags, actions on content and people,
and the append-only log (how each reader may read it is moderation_log's).

`decide()` is the one place that chooses, for every new post, reply and edit, whether it is
published at once or held: members' first contributions are held (a site setting, 3 by default),
and the screening rules may hold anything, or hold it urgently. Whatever holds content opens a
ReviewItem. Every moderator action writes one ModerationAction in its own transaction, and
handling a review item is a conditional UPDATE, so two moderators never act twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.domain import policies
from forum.domain.models import (
    Flag,
    FlagOutcome,
    FlagReason,
    ModAction,
    ModerationAction,
    Post,
    PostStatus,
    PostTag,
    Reply,
    ReviewItem,
    ReviewState,
    RuleAction,
    RuleCategory,
    RuleMatcher,
    ScreeningRule,
    SiteSetting,
    Tag,
    User,
    UserRole,
    UserStatus,
    utcnow,
)
from forum.domain.services import reports, screening
from forum.domain.services import tags as tag_service
from forum.errors import Conflict, DomainError, NotAllowed, NotFound
from forum.extensions import db

# --- settings admins tune in the app ------------------------------------------------------------

SETTINGS = {
    # key: (default, minimum, maximum, what it means)
    "held_first_posts": (3, 0, 50, "How many of a member’s first posts and replies are held"),
    "flag_hide_threshold": (3.0, 1.0, 50.0, "Flag weight at which content is hidden for review"),
    "flag_daily_cap": (10, 1, 200, "How many flags one member may raise per day"),
}


def setting(key: str) -> float:
    default = SETTINGS[key][0]
    stored = db.session.get(SiteSetting, key)
    return type(default)(stored.value) if stored is not None else default


def change_setting(actor: User, key: str, raw: str, reason: str = "") -> None:
    policies.require(policies.is_admin(actor))
    if key not in SETTINGS:
        raise NotFound("There is no such setting.")
    default, low, high, _ = SETTINGS[key]
    try:
        value = type(default)(raw)
    except ValueError as err:
        raise DomainError("Enter a number.", field=key) from err
    if not low <= value <= high:
        raise DomainError(f"Choose a value between {low} and {high}.", field=key)
    row = db.session.get(SiteSetting, key) or SiteSetting(key=key, value=str(default))
    old = row.value
    row.value = str(value)
    db.session.add(row)
    _log(
        actor, ModAction.CHANGE_SETTING, setting_key=key, reason=reason, details=f"{old} → {value}"
    )
    db.session.commit()


# --- deciding -----------------------------------------------------------------------------------


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
    """Still among their first held contributions, or joined in the last week."""
    return policies.is_new_member(user) or approved_count(user) < setting("held_first_posts")


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
    if not is_edit and approved_count(author) < setting("held_first_posts"):
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


def _target(obj: Post | Reply) -> dict:
    return {"post_id": obj.id} if isinstance(obj, Post) else {"reply_id": obj.id}


def _open_item(obj: Post | Reply) -> ReviewItem | None:
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
    item = _open_item(obj)
    if item is None:
        item = ReviewItem(**_target(obj), created_at=utcnow())
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
    _log(
        None,
        ModAction.HOLD,
        target=obj,
        reason="; ".join(decision.mod_reasons),
        rule_code=",".join(decision.codes),
    )


def hold_notice(obj: Post | Reply) -> ReviewItem | None:
    """The open review item of a held post or reply, for "waiting for review" in plain words."""
    return _open_item(obj)


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


# --- the log ------------------------------------------------------------------------------------


def _log(
    actor: User | None,
    action: ModAction,
    *,
    target: Post | Reply | None = None,
    user: User | None = None,
    tag: Tag | None = None,
    rule: ScreeningRule | None = None,
    setting_key: str | None = None,
    reason: str = "",
    rule_code: str = "",
    details: str = "",
) -> ModerationAction:
    entry = ModerationAction(
        actor_id=actor.id if actor else None,
        action=action,
        reason=reason or "",
        rule_code=rule_code or "",
        details=details or "",
        setting_key=setting_key,
        created_at=utcnow(),
    )
    if target is not None:
        entry.post_id = target.id if isinstance(target, Post) else None
        entry.reply_id = target.id if isinstance(target, Reply) else None
        entry.subject_user_id = target.author_id
    if user is not None:
        entry.user_id = entry.subject_user_id = user.id
    if tag is not None:
        entry.tag_id = tag.id
    if rule is not None:
        entry.rule_id = rule.id
    db.session.add(entry)
    return entry


log_action = _log  # for other services (editorial) that record actions in the same log


# --- the review queue ---------------------------------------------------------------------------


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


def queue(*, limit: int = 50) -> list[QueueEntry]:
    """Open items, urgent first, then oldest first, with what a moderator needs to decide.
    A fixed number of queries, whatever the queue's length."""
    items = db.session.scalars(
        select(ReviewItem)
        .where(ReviewItem.state == ReviewState.OPEN)
        .order_by(ReviewItem.urgent.desc(), ReviewItem.created_at, ReviewItem.id)
        .options(
            joinedload(ReviewItem.post).joinedload(Post.author),
            joinedload(ReviewItem.post).selectinload(Post.tags),
            joinedload(ReviewItem.reply).joinedload(Reply.author),
            joinedload(ReviewItem.reply).joinedload(Reply.post),
        )
        .limit(limit)
    ).all()
    targets = [i.post or i.reply for i in items]
    author_ids = {t.author_id for t in targets if t is not None and t.author_id}
    history = _histories(author_ids)
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


def _histories(author_ids: set[int]) -> dict[int, AuthorHistory]:
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


def _require_mod(actor: User) -> None:
    policies.require(policies.is_moderator(actor), "Only moderators can do that.")


def _require_reason(actor: User, obj: Post | Reply | None, reason: str) -> str:
    """A reason is required whenever the content is someone else’s."""
    reason = (reason or "").strip()
    if not reason and (obj is None or obj.author_id != actor.id):
        raise DomainError("Please give a reason: the author will see it.", field="reason")
    return reason


def _publish(obj: Post | Reply) -> bool:
    """Make it public; True when this is its first publication (followers are told then)."""
    now = utcnow()
    was_published = obj.is_published
    first = obj.published_at is None
    obj.status = PostStatus.PUBLISHED
    obj.removed_at = obj.removed_by_id = obj.removal_reason = None
    if obj.published_at is None:
        obj.published_at = now
    if isinstance(obj, Post):
        from forum.domain.services.posts import sync_listing

        obj.last_activity_at = max(obj.last_activity_at, now)
        sync_listing(obj)
    elif not was_published:
        obj.post.reply_count += 1
        obj.post.last_activity_at = max(obj.post.last_activity_at, now)
        tag_service.touch(link.tag_id for link in obj.post.tag_links)
    return first


def _unpublish(obj: Post | Reply, status: PostStatus) -> None:
    was_published = obj.is_published
    obj.status = status
    if isinstance(obj, Post):
        from forum.domain.services.posts import sync_listing

        sync_listing(obj)
    elif was_published:
        obj.post.reply_count -= 1
        tag_service.touch(link.tag_id for link in obj.post.tag_links)


def _resolve_flags(obj: Post | Reply, outcome: FlagOutcome) -> int:
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
    crisis: bool = False  # its writer may be in crisis (is_crisis): tell them kindly, with help


def approve(
    item_id: int,
    *,
    actor: User,
    title: str | None = None,
    body: str | None = None,
    reason: str = "",
) -> Outcome:
    """Publish a held or flagged item, optionally after editing it ("edit then approve").
    Raises NotAllowed, Conflict (handled already), or DomainError(field=...) for the text."""
    _require_mod(actor)
    if body is not None:
        item = db.session.get(ReviewItem, item_id)
        if item is not None and (item.post or item.reply) is not None:
            from forum.domain.services import posts

            posts.check_staff_text(item.post or item.reply, title=title, body=body)
    item = _claim(item_id, actor, "approved")
    target = item.post or item.reply
    if body is not None:
        _moderator_edit(target, actor, title=title, body=body, reason=reason)
    first = _publish(target)
    # Editing before approving agrees with the reports (something needed changing).
    _resolve_flags(target, FlagOutcome.AGREED if body is not None else FlagOutcome.DISAGREED)
    _log(actor, ModAction.APPROVE, target=target, reason=reason, rule_code=item.rule_codes)
    db.session.commit()
    if first:
        from forum.domain.services import notifications

        notifications.announce(target)
    return Outcome(target, ModAction.APPROVE, reason)


def _moderator_edit(
    target: Post | Reply, actor: User, *, title: str | None, body: str, reason: str
) -> None:
    from forum.domain.services import posts

    posts.apply_staff_edit(target, actor, title=title, body=body)
    _log(actor, ModAction.EDIT, target=target, reason=reason or "Edited by a moderator")


def reject(item_id: int, *, actor: User, reason: str) -> Outcome:
    """Not published: the author is told why and keeps their text to revise and resubmit."""
    _require_mod(actor)
    item = db.session.get(ReviewItem, item_id)
    target = (item.post or item.reply) if item else None
    reason = _require_reason(actor, target, reason)
    item = _claim(item_id, actor, "rejected")
    target = item.post or item.reply
    crisis = is_crisis(item)
    _unpublish(target, PostStatus.REJECTED)
    target.removal_reason = reason
    _resolve_flags(target, FlagOutcome.AGREED)
    _log(actor, ModAction.REJECT, target=target, reason=reason, rule_code=item.rule_codes)
    db.session.commit()
    return Outcome(target, ModAction.REJECT, reason, crisis=crisis)


def remove_item(item_id: int, *, actor: User, reason: str) -> Outcome:
    _require_mod(actor)
    item = db.session.get(ReviewItem, item_id)
    target = (item.post or item.reply) if item else None
    reason = _require_reason(actor, target, reason)
    item = _claim(item_id, actor, "removed")
    return _remove(
        item.post or item.reply, actor, reason, rule_code=item.rule_codes, crisis=is_crisis(item)
    )


def ignore_flags(item_id: int, *, actor: User, reason: str = "") -> Outcome:
    """The flags were wrong: clear them, and show the content again if flags had hidden it."""
    _require_mod(actor)
    item = _claim(item_id, actor, "flags ignored")
    target = item.post or item.reply
    if target.status is PostStatus.PENDING and item.flagged and not item.rule_codes:
        _publish(target)
    _resolve_flags(target, FlagOutcome.DISAGREED)
    _log(actor, ModAction.DISAGREE_FLAGS, target=target, reason=reason)
    db.session.commit()
    return Outcome(target, ModAction.DISAGREE_FLAGS, reason)


def _remove(
    target: Post | Reply, actor: User, reason: str, *, rule_code: str = "", crisis: bool = False
) -> Outcome:
    _unpublish(target, PostStatus.REMOVED)
    target.removed_at = utcnow()
    target.removed_by_id = actor.id
    target.removal_reason = reason
    _resolve_flags(target, FlagOutcome.AGREED)
    _close_items(target, actor, "removed")
    _log(actor, ModAction.REMOVE, target=target, reason=reason, rule_code=rule_code)
    db.session.commit()
    return Outcome(target, ModAction.REMOVE, reason, crisis=crisis)


def _close_items(target: Post | Reply, actor: User, outcome: str) -> None:
    column = ReviewItem.post_id if isinstance(target, Post) else ReviewItem.reply_id
    db.session.execute(
        update(ReviewItem)
        .where(column == target.id, ReviewItem.state == ReviewState.OPEN)
        .values(
            state=ReviewState.HANDLED, handled_by_id=actor.id, handled_at=utcnow(), outcome=outcome
        )
        .execution_options(synchronize_session=False)
    )


# --- acting on content directly (from its page) -------------------------------------------------


def edit(
    target: Post | Reply, *, actor: User, title: str | None, body: str, reason: str
) -> Outcome:
    """A moderator changes someone's published post or reply: a reason the author is told, a
    log entry, and the earlier versions kept from readers (a redaction). Raises NotAllowed,
    Conflict (not published: held writing is edited from the queue), or DomainError(field=...)."""
    from forum.domain.services import posts

    _require_mod(actor)
    if not policies.can_edit_as_moderator(actor, target):
        raise Conflict(
            "Only published writing is edited here. Writing that is held or hidden by reports "
            "is edited from the review queue, before it is approved."
        )
    reason = _require_reason(actor, target, reason)
    posts.check_staff_text(target, title=title, body=body)
    _moderator_edit(target, actor, title=title, body=body, reason=reason)
    db.session.commit()
    return Outcome(target, ModAction.EDIT, reason)


def remove(target: Post | Reply, *, actor: User, reason: str) -> Outcome:
    _require_mod(actor)
    reason = _require_reason(actor, target, reason)
    if target.status is PostStatus.REMOVED:
        raise Conflict("That is already removed.")
    return _remove(target, actor, reason, crisis=is_crisis(_open_item(target)))


def restore(target: Post | Reply, *, actor: User, reason: str) -> Outcome:
    _require_mod(actor)
    reason = _require_reason(actor, target, reason)
    if target.status not in (PostStatus.REMOVED, PostStatus.REJECTED):
        raise Conflict("That is not removed.")
    _publish(target)
    _close_items(target, actor, "restored")
    _log(actor, ModAction.RESTORE, target=target, reason=reason)
    db.session.commit()
    return Outcome(target, ModAction.RESTORE, reason)


def set_locked(post: Post, *, actor: User, locked: bool, reason: str) -> Outcome:
    _require_mod(actor)
    reason = _require_reason(actor, post, reason)
    if post.is_locked == locked:
        raise Conflict("It is already locked." if locked else "It is not locked.")
    post.locked_at = utcnow() if locked else None
    action = ModAction.LOCK if locked else ModAction.UNLOCK
    _log(actor, action, target=post, reason=reason)
    db.session.commit()
    return Outcome(post, action, reason)


def set_pinned(post: Post, tag: Tag, *, actor: User, pinned: bool, reason: str) -> Outcome:
    _require_mod(actor)
    reason = _require_reason(actor, post, reason)
    link = db.session.get(PostTag, (post.id, tag.id))
    if link is None:
        raise DomainError(f"This post isn’t tagged {tag.name}.", field="tag")
    link.pinned_at = utcnow() if pinned else None
    tag_service.touch([tag.id])
    action = ModAction.PIN if pinned else ModAction.UNPIN
    _log(actor, action, target=post, reason=reason, details=f"tag: {tag.name}")
    db.session.commit()
    return Outcome(post, action, reason)


def retag(post: Post, *, actor: User, tag_names: list[str], reason: str) -> Outcome:
    from forum.domain.services import posts

    _require_mod(actor)
    reason = _require_reason(actor, post, reason)
    old = ", ".join(t.name for t in post.tags)
    new_tags = posts.resolve_post_tags(tag_names)
    posts.set_tags(post, new_tags)
    _log(
        actor,
        ModAction.RETAG,
        target=post,
        reason=reason,
        details=f"{old} → {', '.join(t.name for t in new_tags)}",
    )
    db.session.commit()
    return Outcome(post, ModAction.RETAG, reason)


# --- flags --------------------------------------------------------------------------------------

LONG_STANDING = timedelta(days=90)


def flag_weight(flagger: User) -> float:
    """Moderators' flags weigh most, long-standing members' more than new members'; a member
    whose flags are often rejected weighs less (their accuracy scales the weight)."""
    if policies.is_moderator(flagger):
        base = 3.0
    elif flagger.created_at < utcnow() - LONG_STANDING and approved_count(flagger) >= 5:
        base = 1.5
    elif policies.is_new_member(flagger):
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
    if today >= setting("flag_daily_cap"):
        raise DomainError(
            "You have reported a lot today, thank you. Please wait until tomorrow, or contact "
            "the moderators if something is urgent."
        )
    entry = Flag(
        **_target(target),
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
    item = _open_item(target)
    if item is None:
        item = ReviewItem(**_target(target), created_at=utcnow())
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
    if target.is_published and total >= setting("flag_hide_threshold"):
        _unpublish(target, PostStatus.PENDING)
        item.author_reasons = (
            "Several readers reported this, so it is hidden until a moderator has looked at it."
        )
        _log(None, ModAction.HIDE_BY_FLAGS, target=target, reason=f"Flag weight {total:.1f}")
        hidden = True
    db.session.commit()
    return FlagResult(hidden)


# --- people --------------------------------------------------------------------------------------


def suspend(member: User, *, actor: User, days: int, reason: str) -> None:
    _require_mod(actor)
    _not_staff_target(actor, member)
    reason = _require_reason(actor, None, reason)
    if not 1 <= days <= 365:
        raise DomainError("Choose between 1 and 365 days.", field="days")
    member.suspended_until = utcnow() + timedelta(days=days)
    member.status = UserStatus.SUSPENDED
    _log(actor, ModAction.SUSPEND, user=member, reason=reason, details=f"{days} days")
    db.session.commit()


def ban(member: User, *, actor: User, reason: str) -> None:
    _require_mod(actor)
    _not_staff_target(actor, member)
    reason = _require_reason(actor, None, reason)
    member.status = UserStatus.BANNED
    member.session_version += 1  # logged out everywhere
    _log(actor, ModAction.BAN, user=member, reason=reason)
    db.session.commit()


def lift(member: User, *, actor: User, reason: str) -> None:
    """End a suspension or ban. Nobody lifts their own, and only admins lift one on staff."""
    _require_mod(actor)
    _not_staff_target(actor, member, "lift a suspension or ban on staff")
    reason = _require_reason(actor, None, reason)
    if (
        member.status not in (UserStatus.SUSPENDED, UserStatus.BANNED)
        and member.suspended_until is None
    ):
        raise Conflict("That member is not suspended or banned.")
    member.status = UserStatus.ACTIVE
    member.suspended_until = None
    _log(actor, ModAction.LIFT, user=member, reason=reason)
    db.session.commit()


def _not_staff_target(actor: User, member: User, what: str = "suspend or ban staff") -> None:
    if member.id == actor.id:
        raise DomainError("You can’t do that to your own account.")
    if member.role is not UserRole.MEMBER and not policies.is_admin(actor):
        raise NotAllowed(f"Only an admin can {what}.")


def change_role(member: User, *, actor: User, role: UserRole, reason: str) -> None:
    policies.require(policies.is_admin(actor), "Only admins can change roles.")
    if member.id == actor.id:
        raise DomainError("You can’t change your own role; ask another admin.")
    old = member.role
    if old is role:
        return
    member.role = role
    _log(
        actor,
        ModAction.CHANGE_ROLE,
        user=member,
        reason=reason,
        details=f"{old.value} → {role.value}",
    )
    db.session.commit()


# --- rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleDraft:
    code: str
    category: RuleCategory
    matcher: RuleMatcher
    pattern: str
    exceptions: str
    action: RuleAction
    new_members_only: bool
    enabled: bool
    reason: str
    message: str


def save_rule(draft: RuleDraft, *, actor: User, rule: ScreeningRule | None = None) -> ScreeningRule:
    policies.require(policies.is_admin(actor), "Only admins can change screening rules.")
    if draft.matcher in (RuleMatcher.REGEX, RuleMatcher.LINK_DOMAIN):
        if not draft.pattern.strip():
            raise DomainError("This kind of rule needs a pattern.", field="pattern")
        if problem := screening.pattern_problem(draft.pattern):
            raise DomainError(problem, field="pattern")
    if draft.exceptions.strip() and (problem := screening.pattern_problem(draft.exceptions)):
        raise DomainError(problem, field="exceptions")
    clash = db.session.scalar(select(ScreeningRule).where(ScreeningRule.code == draft.code))
    if clash is not None and clash is not rule:
        raise DomainError("Another rule already has that code.", field="code")
    before = _rule_summary(rule) if rule else "new rule"
    rule = rule or ScreeningRule()
    for name, value in draft.__dict__.items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    rule.updated_by_id = actor.id
    db.session.add(rule)
    db.session.flush()
    _log(
        actor,
        ModAction.CHANGE_RULE,
        rule=rule,
        rule_code=rule.code,
        details=f"{before} → {_rule_summary(rule)}",
    )
    db.session.commit()
    return rule


def _rule_summary(rule: ScreeningRule) -> str:
    state = "on" if rule.enabled else "off"
    return f"[{state}, {rule.action.value}, {rule.matcher.value}] {rule.pattern[:200]}"


def try_rules(text: str, *, new_member: bool) -> screening.Screening:
    """The "try a text" box: every rule, enabled or not, so admins can tune before enabling."""
    rules = [
        screening.RuleSpec.of(r)
        for r in db.session.scalars(select(ScreeningRule).order_by(ScreeningRule.code))
    ]
    return screening.screen(text, rules=rules, new_member=new_member)


# --- reading the log ----------------------------------------------------------------------------


def log_entries(
    *,
    action: ModAction | None = None,
    actor_id: int | None = None,
    subject_user_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[ModerationAction]:
    query = (
        select(ModerationAction)
        .options(joinedload(ModerationAction.actor), joinedload(ModerationAction.subject_user))
        .order_by(ModerationAction.id.desc())
        .limit(limit)
    )
    if action is not None:
        query = query.where(ModerationAction.action == action)
    if actor_id is not None:
        query = query.where(ModerationAction.actor_id == actor_id)
    if subject_user_id is not None:
        query = query.where(ModerationAction.subject_user_id == subject_user_id)
    if before_id is not None:
        query = query.where(ModerationAction.id < before_id)
    return list(db.session.scalars(query))
