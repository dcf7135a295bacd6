"""Private conversations between the moderation team and one member: starting one, replying,
read state, appeals of a decision, the unread count in the header, export and erasure.

Rules about who may read and write live in policies; this module owns the conversation rows and
keeps their "last written" and "read" times in step with the messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.domain import policies
from forum.domain.models import (
    Conversation,
    ConversationKind,
    Message,
    ModAction,
    ModerationAction,
    Notification,
    NotificationKind,
    ReviewItem,
    User,
    utcnow,
)
from forum.domain.models.conversation import MAX_SUBJECT_LENGTH
from forum.domain.services import notifications
from forum.errors import DomainError, NotFound, Problems
from forum.extensions import db
from forum.text import RENDERER_VERSION, render_user_text

# Long enough for a careful account of what happened; a conversation can always go on.
MAX_MESSAGE_LENGTH = 10_000
INBOX_PAGE_SIZE = 30  # conversations on one page of /messages
UNREAD_CAP = 100  # the header says "99+" from here on: a count must not cost more per page


@dataclass(frozen=True)
class About:
    """What a conversation started from: a queue item or a log entry (or neither)."""

    review_item: ReviewItem | None = None
    moderation_action: ModerationAction | None = None


def _check_text(subject: str, body: str) -> None:
    problems = []
    if not subject.strip():
        problems.append(DomainError("Give the conversation a subject.", field="subject"))
    if not body.strip():
        problems.append(DomainError("Write a message before sending.", field="body"))
    elif len(body) > MAX_MESSAGE_LENGTH:
        problems.append(
            DomainError(f"Keep a message under {MAX_MESSAGE_LENGTH:,} characters.", field="body")
        )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)


def _add_message(conversation: Conversation, author: User, body: str, *, staff: bool) -> Message:
    now = utcnow()
    message = Message(
        conversation=conversation,
        author_id=author.id,
        from_staff=staff,
        created_at=now,
        body=body,
        body_html=str(render_user_text(body)),
        body_html_version=RENDERER_VERSION,
    )
    db.session.add(message)
    conversation.last_message_at = now
    if staff:
        conversation.last_staff_message_at = conversation.staff_read_at = now
        _notify_member(conversation)
    else:
        conversation.last_member_message_at = conversation.member_read_at = now
    return message


def _notify_member(conversation: Conversation) -> None:
    """The member's in-app notice. It names the subject, never the message (which may be
    sensitive); the text waits in Messages."""
    db.session.add(
        Notification(
            user_id=conversation.member_id,
            kind=NotificationKind.MESSAGE,
            message=f"The moderators sent you a private message: “{conversation.subject}”.",
            created_at=utcnow(),
        )
    )


def start_conversation(
    actor: User,
    member: User,
    *,
    kind: ConversationKind,
    subject: str,
    body: str,
    about: About | None = None,
) -> Conversation:
    """A moderator writes to a member privately. Raises NotAllowed or DomainError(field=...)."""
    policies.require(
        policies.can_start_conversation(actor, member), "You can’t write to this member."
    )
    _check_text(subject, body)
    about = about or About()
    conversation = Conversation(
        member_id=member.id,
        started_by_id=actor.id,
        kind=kind,
        subject=subject.strip()[:MAX_SUBJECT_LENGTH],
        review_item=about.review_item,
        moderation_action=about.moderation_action,
        created_at=utcnow(),
    )
    db.session.add(conversation)
    _add_message(conversation, actor, body, staff=True)
    db.session.commit()
    return conversation


def reply(actor: User, conversation: Conversation, body: str) -> Message:
    """Add to a conversation, as its member or for the team. Raises NotAllowed or DomainError."""
    policies.require(policies.can_reply_conversation(actor, conversation))
    _check_text(conversation.subject, body)
    message = _add_message(conversation, actor, body, staff=_writes_for_team(actor, conversation))
    db.session.commit()
    return message


def _writes_for_team(viewer: User, conversation: Conversation) -> bool:
    """A moderator in their own appeal is the member there, not the team."""
    return viewer.id != conversation.member_id and policies.has_staff_inbox(viewer)


def mark_read(viewer: User, conversation: Conversation) -> None:
    """The viewer's side has seen everything so far (a POST: reading a page never writes)."""
    policies.require(policies.can_read_conversation(viewer, conversation))
    if _writes_for_team(viewer, conversation):
        conversation.staff_read_at = utcnow()
    else:
        conversation.member_read_at = utcnow()
    db.session.commit()


def get_readable_or_404(viewer, conversation_id: int) -> Conversation:
    """Raises NotFound for a conversation that doesn't exist or isn't the viewer's to read: a
    member can't tell someone else's conversation from a missing one."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not policies.can_read_conversation(viewer, conversation):
        raise NotFound("There is no conversation here, or it isn’t yours.")
    return conversation


def messages_in(conversation: Conversation) -> list[Message]:
    return list(
        db.session.scalars(conversation.messages.select().options(joinedload(Message.author))).all()
    )


def _awaiting_staff():
    return and_(
        Conversation.last_member_message_at.is_not(None),
        or_(
            Conversation.last_staff_message_at.is_(None),
            Conversation.last_staff_message_at < Conversation.last_member_message_at,
        ),
    )


def _unread_by_member():
    return and_(
        Conversation.last_staff_message_at.is_not(None),
        or_(
            Conversation.member_read_at.is_(None),
            Conversation.member_read_at < Conversation.last_staff_message_at,
        ),
    )


def inbox(viewer: User, *, page: int = 1) -> list[Conversation]:
    """One page of /messages (INBOX_PAGE_SIZE + 1 rows tell whether another page follows). The
    team sees conversations waiting for a reply first, then the most recent."""
    query = (
        select(Conversation)
        .where(policies.visible_conversations(viewer))
        .options(joinedload(Conversation.member))
        .limit(INBOX_PAGE_SIZE + 1)
        .offset((max(page, 1) - 1) * INBOX_PAGE_SIZE)
    )
    if policies.has_staff_inbox(viewer):
        query = query.order_by(case((_awaiting_staff(), 0), else_=1))
    query = query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    return list(db.session.scalars(query).all())


def _unread_count_column(viewer: User):
    """For a member, conversations with a moderator's message they haven't marked read; for
    the team, also every conversation waiting for a reply. Counted up to UNREAD_CAP."""
    mine = and_(Conversation.member_id == viewer.id, _unread_by_member())
    wanted = mine
    if policies.has_staff_inbox(viewer):
        wanted = or_(mine, and_(Conversation.member_id != viewer.id, _awaiting_staff()))
    capped = select(Conversation.id).where(wanted).limit(UNREAD_CAP).subquery()
    return select(func.count()).select_from(capped).scalar_subquery()


def header_counts(viewer: User) -> tuple[int, int]:
    """(unread notifications, unread conversations) for the header of every page, in one
    query: the Messages count costs no extra round trip."""
    both = select(notifications.unread_count_column(viewer), _unread_count_column(viewer))
    return tuple(db.session.execute(both).one())


# --- appeals -----------------------------------------------------------------------------------


def existing_appeal(entry: ModerationAction) -> Conversation | None:
    return db.session.scalar(
        select(Conversation).where(
            Conversation.kind == ConversationKind.APPEAL,
            Conversation.moderation_action_id == entry.id,
        )
    )


def appeal(member: User, entry: ModerationAction, body: str) -> Conversation:
    """Open the one appeal of a decision about the member's writing, or add to it if it is
    already open (a second click, or two tabs). Raises NotAllowed or DomainError."""
    policies.require(
        policies.can_appeal(member, entry), "Only the writer can appeal this decision."
    )
    if (found := existing_appeal(entry)) is not None:
        reply(member, found, body)
        return found
    what = "rejection" if entry.action is ModAction.REJECT else "removal"
    subject = f"Appeal of a {what} on {entry.created_at.day} {entry.created_at:%b %Y}"
    _check_text(subject, body)
    conversation = Conversation(
        member_id=member.id, kind=ConversationKind.APPEAL, subject=subject, moderation_action=entry
    )
    db.session.add(conversation)
    _add_message(conversation, member, body, staff=False)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same appeal was opened a moment ago: add to that one
        found = existing_appeal(entry)
        reply(member, found, body)
        return found
    return conversation


# --- the member's data --------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_for(user: User) -> list[dict]:
    """The member's conversations with the moderators, every message in full."""
    conversations = db.session.scalars(
        select(Conversation).where(Conversation.member_id == user.id).order_by(Conversation.id)
    ).all()
    return [
        {
            "subject": c.subject,
            "kind": c.kind.value,
            "started_at": _iso(c.created_at),
            "messages": [
                {
                    "from": "you" if not m.from_staff else "the moderators",
                    "body": m.body,
                    "written_at": _iso(m.created_at),
                }
                for m in messages_in(c)
            ],
        }
        for c in conversations
    ]


def forget(user: User) -> None:
    """Part of erasing an account, in its transaction (does not commit): the member's
    conversations and every message in them go (they are about their health), and so do the
    notices that named them."""
    mine = select(Conversation.id).where(Conversation.member_id == user.id)
    db.session.execute(delete(Message).where(Message.conversation_id.in_(mine)))
    db.session.execute(delete(Conversation).where(Conversation.member_id == user.id))
    db.session.execute(
        delete(Notification).where(
            Notification.user_id == user.id, Notification.kind == NotificationKind.MESSAGE
        )
    )
