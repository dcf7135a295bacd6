"""A member's copy of everything Cohort holds about them (the "Download your data" file)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select

from forum.domain.models import (
    Draft,
    Flag,
    ModerationAction,
    Notification,
    OutboxEmail,
    Post,
    Reply,
    Revision,
    TagFollow,
    User,
    utcnow,
)
from forum.domain.services import conversations
from forum.extensions import db


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_data(user: User) -> dict:
    """Everything Cohort stores about `user` and everything they wrote, as plain data."""
    posts = db.session.scalars(
        select(Post).where(Post.author_id == user.id).order_by(Post.id)
    ).all()
    replies = db.session.scalars(
        select(Reply).where(Reply.author_id == user.id).order_by(Reply.id)
    ).all()
    post_ids = [p.id for p in posts]
    reply_ids = [r.id for r in replies]
    revisions = db.session.scalars(
        select(Revision)
        .where(or_(Revision.post_id.in_(post_ids), Revision.reply_id.in_(reply_ids)))
        .order_by(Revision.id)
    ).all()
    drafts = db.session.scalars(select(Draft).where(Draft.author_id == user.id)).all()
    emails = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_address == user.email).order_by(OutboxEmail.id)
    ).all()
    return {
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": user.id,
            "pseudonym": user.pseudonym,
            "email": user.email,
            "pending_email": user.pending_email,
            "role": user.role.value,
            "status": user.status.value,
            "member_since": _iso(user.created_at),
            "email_verified_at": _iso(user.email_verified_at),
            "declared_16_or_older_at": _iso(user.age_confirmed_at),
            "health_data_consent_at": _iso(user.health_consent_at),
            "suspended_until": _iso(user.suspended_until),
        },
        "posts": [
            {
                "id": p.id,
                "kind": p.kind.value,
                "status": p.status.value,
                "title": p.title,
                "body": p.body,
                "tags": [t.name for t in p.tags],
                "taking_for": p.experience_duration,
                "experience_status": p.experience_status.value if p.experience_status else None,
                "created_at": _iso(p.created_at),
                "published_at": _iso(p.published_at),
                "edited_at": _iso(p.edited_at),
                "removed_at": _iso(p.removed_at),
                "removal_reason": p.removal_reason,
            }
            for p in posts
        ],
        "replies": [
            {
                "id": r.id,
                "post_id": r.post_id,
                "status": r.status.value,
                "body": r.body,
                "created_at": _iso(r.created_at),
                "edited_at": _iso(r.edited_at),
                "removed_at": _iso(r.removed_at),
            }
            for r in replies
        ],
        "earlier_versions": [
            {
                "post_id": v.post_id,
                "reply_id": v.reply_id,
                "title": v.title,
                "body": v.body,
                "written_at": _iso(v.written_at),
            }
            for v in revisions
        ],
        "drafts": [
            {
                "kind": d.kind.value if d.kind else None,  # not chosen yet
                "title": d.title,
                "body": d.body,
                "tags": d.tag_names,
                "updated_at": _iso(d.updated_at),
            }
            for d in drafts
        ],
        "email_settings": {
            "digest": user.digest_frequency,
            "notification_emails": user.email_notifications,
        },
        "following": [
            {"tag": f.tag.name, "how": f.mode.value, "since": _iso(f.created_at)}
            for f in db.session.scalars(
                select(TagFollow).where(TagFollow.user_id == user.id).order_by(TagFollow.created_at)
            )
        ],
        "notifications": [
            {
                "kind": n.kind.value,
                "post_id": n.post_id,
                "reply_id": n.reply_id,
                "message": n.message,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in db.session.scalars(
                select(Notification)
                .where(Notification.user_id == user.id)
                .order_by(Notification.id)
            )
        ],
        "reports_you_made": [
            {
                "post_id": f.post_id,
                "reply_id": f.reply_id,
                "reason": f.reason.value,
                "details": f.details,
                "created_at": _iso(f.created_at),
                "outcome": f.outcome.value,
            }
            for f in db.session.scalars(
                select(Flag).where(Flag.flagger_id == user.id).order_by(Flag.id)
            )
        ],
        "moderation_decisions_about_you": [
            {
                "action": a.action.value,
                "post_id": a.post_id,
                "reply_id": a.reply_id,
                "reason": a.reason,
                "created_at": _iso(a.created_at),
            }
            for a in db.session.scalars(
                select(ModerationAction)
                .where(ModerationAction.subject_user_id == user.id)
                .order_by(ModerationAction.id)
            )
        ],
        "conversations_with_the_moderators": conversations.export_for(user),
        "emails_sent_to_you": [
            {"subject": e.subject, "created_at": _iso(e.created_at), "sent_at": _iso(e.sent_at)}
            for e in emails
        ],
    }
