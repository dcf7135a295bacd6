"""Actions on people: suspending, banning and lifting, and admins changing roles."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select

from forum.domain import policies
from forum.domain.models import (
    ModAction,
    User,
    UserRole,
    UserStatus,
    name_key,
    utcnow,
)
from forum.domain.services import content_actions, moderation_log
from forum.errors import Conflict, DomainError, NotAllowed
from forum.extensions import db


def suspend(member: User, *, actor: User, days: int, reason: str) -> None:
    content_actions.require_moderator(actor)
    _not_staff_target(actor, member)
    reason = content_actions.require_reason(actor, None, reason)
    if not 1 <= days <= 365:
        raise DomainError("Choose between 1 and 365 days.", field="days")
    member.suspended_until = utcnow() + timedelta(days=days)
    member.status = UserStatus.SUSPENDED
    moderation_log.log_action(
        actor, ModAction.SUSPEND, user=member, reason=reason, details=f"{days} days"
    )
    db.session.commit()


def ban(member: User, *, actor: User, reason: str) -> None:
    content_actions.require_moderator(actor)
    _not_staff_target(actor, member)
    reason = content_actions.require_reason(actor, None, reason)
    member.status = UserStatus.BANNED
    member.session_version += 1  # logged out everywhere
    moderation_log.log_action(actor, ModAction.BAN, user=member, reason=reason)
    db.session.commit()


def lift(member: User, *, actor: User, reason: str) -> None:
    """End a suspension or ban. Nobody lifts their own, and only admins lift one on staff."""
    content_actions.require_moderator(actor)
    _not_staff_target(actor, member, "lift a suspension or ban on staff")
    reason = content_actions.require_reason(actor, None, reason)
    if (
        member.status not in (UserStatus.SUSPENDED, UserStatus.BANNED)
        and member.suspended_until is None
    ):
        raise Conflict("That member is not suspended or banned.")
    member.status = UserStatus.ACTIVE
    member.suspended_until = None
    moderation_log.log_action(actor, ModAction.LIFT, user=member, reason=reason)
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
    moderation_log.log_action(
        actor,
        ModAction.CHANGE_ROLE,
        user=member,
        reason=reason,
        details=f"{old.value} → {role.value}",
    )
    db.session.commit()


MEMBER_SEARCH_LIMIT = 50  # a moderator narrows the name rather than paging


def find_members(q: str) -> list[User]:
    """Members whose pseudonym contains `q`, or whose email is `q`, by pseudonym."""
    return list(
        db.session.scalars(
            select(User)
            .where(or_(User.pseudonym_key.contains(name_key(q)), User.email == q.lower()))
            .order_by(User.pseudonym_key)
            .limit(MEMBER_SEARCH_LIMIT)
        )
    )


def find_member(user_id: int) -> User | None:
    return db.session.get(User, user_id)
