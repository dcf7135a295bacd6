"""Drafts: unfinished stories and threads, private to their author.

A draft keeps the tag names as typed (they are resolved only when the post is published), so a
half-remembered brand name is not lost. Publishing deletes the draft (posts.create_post).
"""

from __future__ import annotations

from sqlalchemy import func, select

from forum.domain import policies
from forum.domain.models import Draft, User
from forum.domain.models.post import MAX_BODY_LENGTH, MAX_DURATION_LENGTH, MAX_TITLE_LENGTH
from forum.domain.services.post_text import PostDraft
from forum.errors import DomainError, NotFound
from forum.extensions import db

MAX_DRAFTS_PER_MEMBER = 50  # more than anyone keeps in progress; bounds what autosave can store
MAX_TAG_NAMES_LENGTH = 500  # the drafts.tag_names column


def _check_fits(draft: PostDraft, tag_names: str) -> None:
    for value, limit, field in (
        (draft.title, MAX_TITLE_LENGTH, "title"),
        (draft.body, MAX_BODY_LENGTH, "body"),
        (tag_names, MAX_TAG_NAMES_LENGTH, "tags"),
        (draft.experience_duration or "", MAX_DURATION_LENGTH, "experience_duration"),
    ):
        if len(value) > limit:
            raise DomainError(
                f"This is too long to save as a draft: please keep it under {limit:,} characters.",
                field=field,
            )


def get_own_or_404(author: User, draft_id: int) -> Draft:
    """The member's own draft. Raises NotFound for anyone else's, so drafts stay private."""
    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.author_id != author.id:
        raise NotFound("We couldn’t find that draft. It may have been published or deleted.")
    return draft


def save_draft(author: User, draft: PostDraft, *, draft_id: int | None = None) -> Draft:
    """Create the member's draft, or update the one they are working on. Raises NotAllowed,
    NotFound (not their draft), or DomainError (nothing to save, too long, too many drafts)."""
    reason = policies.why_cannot_post(author)
    policies.require(reason is None, reason or "")
    tag_names = ", ".join(draft.tag_names)
    _check_fits(draft, tag_names)
    saved = get_own_or_404(author, draft_id) if draft_id is not None else None
    if saved is None:
        if not (draft.title.strip() or draft.body.strip() or tag_names):
            raise DomainError("There is nothing to save yet: write a title or a few words first.")
        count = db.session.scalar(select(func.count(Draft.id)).where(Draft.author_id == author.id))
        if count >= MAX_DRAFTS_PER_MEMBER:
            raise DomainError(
                f"You have {count} drafts, which is as many as we keep. Please publish or "
                "delete one of them first."
            )
        saved = Draft(author=author)
        db.session.add(saved)
    saved.kind = draft.kind
    saved.title = draft.title
    saved.body = draft.body
    saved.tag_names = tag_names
    saved.experience_duration = draft.experience_duration
    saved.experience_status = draft.experience_status
    db.session.commit()
    return saved


def list_drafts(author: User) -> list[Draft]:
    """The member's drafts, most recently saved first."""
    query = select(Draft).where(Draft.author_id == author.id).order_by(Draft.updated_at.desc())
    return list(db.session.scalars(query))


def delete_draft(author: User, draft_id: int) -> None:
    """Delete one of the member's drafts for good (drafts have no history). Raises NotFound."""
    db.session.delete(get_own_or_404(author, draft_id))
    db.session.commit()
