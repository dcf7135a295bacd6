"""Opening texts a moderator can start a conversation from. The check-ins carry the crisis help
lines from their one source, templates/_macros/safety.html, so the numbers are never retyped."""

from __future__ import annotations

from dataclasses import dataclass

from flask import get_template_attribute

from forum.domain.models import ConversationKind


@dataclass(frozen=True)
class Starter:
    key: str
    subject: str
    kind: ConversationKind
    opening: str  # before the help lines; {name} is the member's pseudonym
    help_lines: bool
    closing: str = ""


STARTERS = (
    Starter(
        key="check_in",
        subject="Checking in after your post",
        kind=ConversationKind.CARE,
        opening="Hello {name},\n\nI’m one of the moderators on Cohort. I read what you wrote, and "
        "I wanted to check in with you privately: how are you doing right now?",
        help_lines=True,
        closing="You can answer here whenever you like. Only you and the moderators can read "
        "this conversation.",
    ),
    Starter(
        key="held",
        subject="Your post was held for a moderator",
        kind=ConversationKind.CARE,
        opening="Hello {name},\n\nYour post is waiting for a moderator before it appears. We "
        "have read it, and we care about how you are.",
        help_lines=True,
        closing="If you’d like to talk about the post or anything else, answer here. Only you "
        "and the moderators can read this conversation.",
    ),
    Starter(
        key="general",
        subject="A word from the moderators",
        kind=ConversationKind.GENERAL,
        opening="Hello {name},\n\n",
        help_lines=False,
    ),
)
BY_KEY = {s.key: s for s in STARTERS}


def text_of(starter: Starter, pseudonym: str) -> str:
    """The pre-filled first message, help lines included where the starter carries them."""
    parts = [starter.opening.format(name=pseudonym)]
    if starter.help_lines:
        crisis_text = get_template_attribute("_macros/safety.html", "crisis_resources_text")
        parts.append(str(crisis_text()).strip())
    if starter.closing:
        parts.append(starter.closing)
    return "\n\n".join(p.strip("\n") for p in parts) + ("\n" if starter.help_lines else "")
