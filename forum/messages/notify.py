"""Emailing a member that a message is waiting. Never the message itself: it may be about their
health, and email is neither private nor ours once sent. Only to members who asked for
notification emails (their email settings); the in-app notice is made by the service."""

from __future__ import annotations

from forum import mail
from forum.domain.models import Conversation, UserStatus


def message_waiting(conversation: Conversation) -> None:
    """Call after a moderator's message is committed."""
    member = conversation.member
    if member.status is UserStatus.ERASED or not member.email or not member.email_notifications:
        return
    mail.send(
        member.email,
        "A private message from the Cohort moderators",
        "message_waiting",
        user=member,
        link=mail.external_url("messages.inbox"),
    )
