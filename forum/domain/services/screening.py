"""Screening: the rules admins edit, run over every new post, reply and edit.

screen() is pure: text and rules in, findings out. It judges a text as if an established member
wrote it unless `new_member` is true (then new-member rules apply too). The result's action is
"publish", "hold" or "hold-urgent"; personal-information findings are shown to the author before
the text is sent (warn_then_hold), and if they send it anyway it is held.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers
from sqlalchemy import select

from forum.domain.models import RuleAction, RuleCategory, RuleMatcher, ScreeningRule
from forum.extensions import db

DEFAULT_RULES_FILE = Path(__file__).resolve().parents[2] / "moderation" / "default_rules.toml"
MAX_EXCERPTS = 5

PUBLISH, HOLD, HOLD_URGENT = "publish", "hold", "hold-urgent"


@dataclass(frozen=True)
class RuleSpec:
    """What screening needs of a rule (a ScreeningRule row, or a default from the TOML file)."""

    code: str
    category: RuleCategory
    matcher: RuleMatcher
    pattern: str
    exceptions: str
    action: RuleAction
    new_members_only: bool
    reason: str
    message: str

    @classmethod
    def of(cls, rule: ScreeningRule) -> RuleSpec:
        return cls(
            code=rule.code,
            category=rule.category,
            matcher=rule.matcher,
            pattern=rule.pattern,
            exceptions=rule.exceptions,
            action=rule.action,
            new_members_only=rule.new_members_only,
            reason=rule.reason,
            message=rule.message,
        )


@dataclass(frozen=True)
class Finding:
    rule: RuleSpec
    matched: tuple[str, ...]  # what was found, for the author and the moderator


@dataclass(frozen=True)
class Screening:
    findings: tuple[Finding, ...]

    @property
    def action(self) -> str:
        actions = {f.rule.action for f in self.findings}
        if RuleAction.HOLD_URGENT in actions:
            return HOLD_URGENT
        return HOLD if actions else PUBLISH

    @property
    def urgent(self) -> bool:
        return self.action == HOLD_URGENT

    @property
    def crisis(self) -> bool:
        return any(f.rule.category is RuleCategory.CRISIS for f in self.findings)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings the author should see before sending (personal information)."""
        return tuple(f for f in self.findings if f.rule.action is RuleAction.WARN_THEN_HOLD)

    @property
    def codes(self) -> list[str]:
        return [f.rule.code for f in self.findings]


# --- matchers -----------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    except re.error:
        return None  # the admin form refuses bad patterns; a bad stored one matches nothing


def pattern_problem(pattern: str) -> str | None:
    """Why a regular expression won't compile, for the rules form; None if it is fine."""
    try:
        re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    except re.error as err:
        return f"That pattern has a problem: {err}."
    return None


Hit = tuple[str, str]  # (what was found, what exceptions are tested against)

_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end]: where a rule's exceptions look."""
    before = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return text[(before[-1] if before else 0) : (after.start() if after else len(text))]


def _regex(text: str, rule: RuleSpec) -> list[Hit]:
    compiled = _compiled(rule.pattern)
    if compiled is None:
        return []
    return [
        (m.group(0).strip(), _sentence(text, m.start(), m.end())) for m in compiled.finditer(text)
    ]


_PHONE_CONTEXT = re.compile(
    r"\b(?:call|text|txt|phone|ring|mobile|cell|number|tel|whats\s?app|contact|reach|sms)\b",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(r"^\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?$")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d{2}\s*[-–]\s*(?:19|20)?\d{2}$")
_UNIT_AFTER = re.compile(
    r"^\s*(?:mg|mcg|µg|ml|g|iu|units?|x|%|kg|lbs?|cm|mmol|days?|weeks?|months?|years?)\b", re.I
)


def _phones(text: str, rule: RuleSpec) -> list[Hit]:
    """Numbers the phonenumbers library finds *possible*, not only valid: a typo or an unknown
    range is still someone's number. Short ones count only beside words like "call" or "text"."""
    regions = [r.strip().upper() for r in rule.pattern.split(",") if r.strip()] or ["US", "GB"]
    found: dict[int, Hit] = {}
    for region in regions:
        for match in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        ):
            raw = match.raw_string.strip()
            digits = sum(c.isdigit() for c in raw)
            if (
                _DATE_LIKE.match(raw)
                or _YEAR_RANGE.match(raw)
                or _UNIT_AFTER.match(text[match.end :])
            ):
                continue
            context = text[max(0, match.start - 40) : match.start]
            if digits >= 7 or (digits >= 5 and _PHONE_CONTEXT.search(context)):
                found.setdefault(match.start, (raw, _sentence(text, match.start, match.end)))
    return [found[k] for k in sorted(found)]


_URL = re.compile(
    r"""(?:https?://|www\.)[^\s<>()"']+"""
    r"""|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|info|biz|co|io|me|uk|us|ca|au|in|ru|cn|shop|store|online|site|xyz|top|pharmacy|health|eu|de|fr|nl|to|ly|cc|ws|su|pw|club|link|live|life|care)\b(?:/[^\s<>()"']*)?""",
    re.IGNORECASE,
)


def links(text: str) -> list[tuple[str, str]]:
    """(link as written, host) for every link or bare web address in a text."""
    out = []
    for match in _URL.finditer(text):
        written = match.group(0).rstrip(".,;:!?")
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", written, flags=re.I)
        host = re.split(r"[/:?#]", host, maxsplit=1)[0].lower()
        if host:
            out.append((written, host))
    return out


def _link_domains(text: str, rule: RuleSpec) -> list[Hit]:
    compiled = _compiled(rule.pattern)
    if compiled is None:
        return []
    return [(written, host) for written, host in links(text) if compiled.search(host)]


def _any_link(text: str, rule: RuleSpec) -> list[Hit]:
    return links(text)


_MATCHERS = {
    RuleMatcher.REGEX: _regex,
    RuleMatcher.PHONE: _phones,
    RuleMatcher.LINK_DOMAIN: _link_domains,
    RuleMatcher.ANY_LINK: _any_link,
}


def screen(text: str, *, rules: list[RuleSpec], new_member: bool = False) -> Screening:
    """Run `rules` over `text`. Pure: no database, no request."""
    findings = []
    for rule in rules:
        if rule.new_members_only and not new_member:
            continue
        hits = _MATCHERS[rule.matcher](text, rule)
        if rule.exceptions and (skip := _compiled(rule.exceptions)) is not None:
            hits = [(found, context) for found, context in hits if not skip.search(context)]
        matched = [found for found, _ in hits]
        if matched:
            unique = tuple(dict.fromkeys(matched))[:MAX_EXCERPTS]
            findings.append(Finding(rule, unique))
    return Screening(tuple(findings))


# --- rules in the database ----------------------------------------------------------------------


def active_rules() -> list[RuleSpec]:
    rows = db.session.scalars(
        select(ScreeningRule).where(ScreeningRule.enabled.is_(True)).order_by(ScreeningRule.code)
    )
    return [RuleSpec.of(rule) for rule in rows]


def split_codes(codes: str) -> list[str]:
    """The rule codes of a review item or a log entry (stored comma-separated)."""
    return [code for code in codes.split(",") if code]


def rule_categories(codes: Iterable[str]) -> dict[str, RuleCategory]:
    """The category of each code that a rule still has (enabled or not), in one query. A code
    missing from the answer belongs to no rule any more: callers treat it as unknown."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(ScreeningRule.code, ScreeningRule.category).where(ScreeningRule.code.in_(wanted))
    )
    return {code: category for code, category in rows}


def default_rule_rows() -> list[dict]:
    """The shipped rules as plain dicts (the migration and the tests load the same file)."""
    with DEFAULT_RULES_FILE.open("rb") as handle:
        return tomllib.load(handle)["rule"]


def install_default_rules() -> int:
    """Add any shipped rule whose code is missing; never overwrites an admin's edits."""
    have = set(db.session.scalars(select(ScreeningRule.code)))
    added = 0
    for row in default_rule_rows():
        if row["code"] in have:
            continue
        db.session.add(
            ScreeningRule(
                code=row["code"],
                category=RuleCategory(row["category"]),
                matcher=RuleMatcher(row["matcher"]),
                pattern=row.get("pattern", ""),
                exceptions=row.get("exceptions", ""),
                action=RuleAction(row["action"]),
                new_members_only=row.get("new_members_only", False),
                enabled=True,
                reason=row["reason"],
                message=row["message"],
            )
        )
        added += 1
    db.session.commit()
    return added
