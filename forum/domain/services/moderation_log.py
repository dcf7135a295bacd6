"""The moderation log: writing its append-only entries (log_action), and what each reader may
see of them.

Moderators read it in full. Members read the decisions about their own writing in plain words:
no rule codes, and nothing they wrote quoted back. The public reads what happened and why, without
who, what anyone wrote, or a rule that says something about a person (policies.is_public_rule).
Each reading function takes entries from log_entries() and costs at most one query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.domain import policies
from forum.domain.models import (
    ModAction,
    ModerationAction,
    Post,
    Reply,
    RuleCategory,
    ScreeningRule,
    Tag,
    User,
    utcnow,
)
from forum.domain.services import screening
from forum.extensions import db

# A hold the public may not see the rules of reads like every other hold (a new member's first
# posts are held too), so it says nothing about the person who wrote it.
PUBLIC_HOLD = "Held for review"
PUBLIC_PRIVATE = "Details kept private"

# A member's own holds, by the category of rule that held them. Crisis comes first, and says what
# the hold is for rather than what was found.
MEMBER_HOLDS = {
    RuleCategory.CRISIS: "Held so a moderator could read it and check in with you.",
    RuleCategory.PERSONAL_INFO: "Held because it may have included personal details, "
    "such as a phone number or an address.",
    RuleCategory.DOSING: "Held because it may have read as dosing advice for someone else.",
    RuleCategory.SPAM: "Held because parts of it looked like advertising, "
    "which a moderator checks first.",
    RuleCategory.OTHER: "Held for a moderator to read first.",
}
MEMBER_FIRST_POSTS = (
    "Held because a moderator reads new members’ first posts. This is routine, "
    "and nothing you did wrong."
)
MEMBER_HIDDEN = "Hidden because readers reported it, until a moderator had looked at it."


@dataclass(frozen=True)
class LogLine:
    """One entry as one reader may see it."""

    entry: ModerationAction
    rules: str  # the rule codes this reader may see, "" for none
    reason: str


def for_staff(entries: Sequence[ModerationAction]) -> list[LogLine]:
    """Everything. A hold's reason already names each rule with its explanation and what was
    found (holds.decide), so its codes are not repeated beside it."""
    return [
        LogLine(e, "" if e.action is ModAction.HOLD else _codes_text(e), e.reason) for e in entries
    ]


def for_member(entries: Sequence[ModerationAction]) -> list[LogLine]:
    """Decisions about the member's own writing and account, in plain words: holds and hides
    say why in general terms; everything else shows the reason the moderator wrote for them."""
    categories = _categories(entries)
    return [LogLine(e, "", _member_reason(e, categories)) for e in entries]


def for_public(entries: Sequence[ModerationAction]) -> list[LogLine]:
    """What happened and why, with no rule that says something about a person: an entry that
    touches one shows neither its rules nor its written reason."""
    categories = _categories(entries)
    lines = []
    for e in entries:
        codes = screening.split_codes(e.rule_code)
        if not all(policies.is_public_rule(categories.get(code)) for code in codes):
            neutral = PUBLIC_HOLD if e.action is ModAction.HOLD else PUBLIC_PRIVATE
            lines.append(LogLine(e, "", neutral))
        elif e.action is ModAction.HOLD:
            lines.append(LogLine(e, ", ".join(codes), "" if codes else PUBLIC_HOLD))
        else:
            lines.append(LogLine(e, ", ".join(codes), _public_reason(e)))
    return lines


def _codes_text(entry: ModerationAction) -> str:
    return ", ".join(screening.split_codes(entry.rule_code))


def _categories(entries: Sequence[ModerationAction]) -> dict[str, RuleCategory]:
    return screening.rule_categories(
        code for e in entries for code in screening.split_codes(e.rule_code)
    )


def _member_reason(entry: ModerationAction, categories: dict[str, RuleCategory]) -> str:
    if entry.action is ModAction.HIDE_BY_FLAGS:
        return MEMBER_HIDDEN
    if entry.action is not ModAction.HOLD:
        return entry.reason
    codes = screening.split_codes(entry.rule_code)
    if not codes:
        return MEMBER_FIRST_POSTS
    found = {categories.get(code, RuleCategory.OTHER) for code in codes}
    return " ".join(words for category, words in MEMBER_HOLDS.items() if category in found)


_REDACT = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?:https?://|www\.)\S+", re.I), "[link]"),
    (re.compile(r"[“\"][^”\"]{0,400}[”\"]"), "“[…]”"),
    (re.compile(r"\+?\d[\d\s().-]{3,}\d"), "[number]"),
]


def _public_reason(entry: ModerationAction) -> str:
    """A written reason as the public log may show it: never who, never what they wrote.

    Holds, flag-hides and setting changes show none; written reasons lose pseudonyms, email
    addresses, links, long numbers and anything quoted."""
    if entry.action in (ModAction.HOLD, ModAction.HIDE_BY_FLAGS, ModAction.CHANGE_SETTING):
        return ""
    text = entry.reason or ""
    names = {u.pseudonym for u in (entry.actor, entry.subject_user) if u is not None}
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(re.escape(name), "[member]", text, flags=re.I)
    text = re.sub(r"@\w+", "[member]", text)
    for pattern, replacement in _REDACT:
        text = pattern.sub(replacement, text)
    return text[:200] + ("…" if len(text) > 200 else "")


def log_action(
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
