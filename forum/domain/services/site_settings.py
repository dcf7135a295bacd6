"""Settings admins tune in the app, within fixed bounds: defaults, reading and changing them."""

from __future__ import annotations

from collections.abc import Mapping

from forum.domain import policies
from forum.domain.models import (
    ModAction,
    SiteSetting,
    User,
)
from forum.domain.services import moderation_log
from forum.errors import DomainError, NotFound
from forum.extensions import db

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
    moderation_log.log_action(
        actor, ModAction.CHANGE_SETTING, setting_key=key, reason=reason, details=f"{old} → {value}"
    )
    db.session.commit()


def change_settings(actor: User, raw: Mapping[str, str], *, reason: str = "") -> dict[str, str]:
    """Change every setting whose submitted value differs from the current one, each logged on
    its own; returns {key: problem} for the values refused (the others are saved)."""
    errors: dict[str, str] = {}
    for key in SETTINGS:
        value = (raw.get(key) or "").strip()
        if value and value != str(setting(key)):
            try:
                change_setting(actor, key, value, reason=reason)
            except DomainError as err:
                errors[key] = err.message
    return errors
