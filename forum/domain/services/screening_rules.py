"""Admins editing the screening rules, and the "try a text" box that runs them all."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from forum.domain import policies
from forum.domain.models import (
    ModAction,
    RuleAction,
    RuleCategory,
    RuleMatcher,
    ScreeningRule,
    User,
)
from forum.domain.services import moderation_log, screening
from forum.errors import DomainError
from forum.extensions import db


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
    moderation_log.log_action(
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


def all_rules() -> list[ScreeningRule]:
    """Every rule, enabled or not, by category then code (the admins' list)."""
    return list(
        db.session.scalars(
            select(ScreeningRule).order_by(ScreeningRule.category, ScreeningRule.code)
        )
    )


def find_rule(rule_id: int) -> ScreeningRule | None:
    return db.session.get(ScreeningRule, rule_id)
