"""Writing: what members publish, edit and delete (stories, threads, replies), and reading
one post or reply when the viewer may. Each public function commits once; what readers see of
the change is kept in step by lifecycle, and whether it is held is decided by holds."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import joinedload, selectinload

from forum.domain import policies
from forum.domain.models import (
    Draft,
    Post,
    PostKind,
    PostStatus,
    Reply,
    User,
    utcnow,
)
from forum.domain.services import holds, lifecycle, notifications, post_text, revisions
from forum.domain.services.post_text import PostDraft, ReplyDraft
from forum.errors import NotFound, Removal, Removed
from forum.extensions import db


def _removed(obj: Post | Reply, what: str) -> Removed:
    """The 410 for readers of something removed: who removed it (its author or a moderator)."""
    by_author = obj.removed_by_id is not None and obj.removed_by_id == obj.author_id
    removed_at = obj.removed_at or obj.updated_at
    return Removed(Removal(what, removed_at, by_author, obj.removal_reason))


def get_visible_or_404(post_id: int, *, viewer) -> Post:
    """The post if `viewer` may read it. Raises NotFound, or Removed (410) for other readers
    of a removed post; its author and moderators still see it."""
    post = db.session.get(Post, post_id, options=[joinedload(Post.author), selectinload(Post.tags)])
    if post is None:
        raise NotFound("We couldn't find that post. It may have been moved, or the link is wrong.")
    if post.status is PostStatus.REMOVED and not policies.can_read_removed_text(viewer, post):
        raise _removed(post, post.kind.value)
    if not policies.can_see_post(viewer, post):
        raise NotFound("We couldn't find that post. It may have been moved, or the link is wrong.")
    return post


# --- writing: what members publish, edit and delete (each public function commits once) -------


def _require(reason: str | None) -> None:
    policies.require(reason is None, reason or "")


def create_post(author: User, draft: PostDraft, *, saved_draft_id: int | None = None) -> Post:
    """Publish a new story or thread, or hold it for review, as moderation decides; the saved
    draft it came from is deleted. Raises NotAllowed, or DomainError(field=...)."""
    _require(policies.why_cannot_post(author))
    tags, tag_problems = post_text.check_post_tags(draft.tag_names)
    post_text.raise_all(post_text.text_problems(draft) + tag_problems)
    decision = holds.decide(author, title=draft.title, body=draft.body, confirmed=draft.confirmed)
    story = draft.kind is PostKind.STORY
    post = lifecycle.build_post(
        author=author,
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        tags=tags,
        status=decision.status,
        experience_duration=draft.experience_duration if story else None,
        experience_status=draft.experience_status if story else None,
    )
    if saved_draft_id is not None:
        db.session.execute(
            delete(Draft).where(Draft.id == saved_draft_id, Draft.author_id == author.id)
        )
    holds.record(post, decision)
    db.session.commit()
    if post.is_published:
        notifications.announce(post)
    return post


def create_reply(author: User, post: Post, draft: ReplyDraft) -> Reply:
    """Reply to a thread or comment on a story. Raises NotAllowed (locked, unpublished, or
    the member may not post), or DomainError(field="body")."""
    _require(policies.why_cannot_reply(author, post))
    post_text.check_reply_text(draft.body)
    decision = holds.decide(author, body=draft.body, confirmed=draft.confirmed)
    reply = lifecycle.build_reply(post=post, author=author, body=draft.body, status=decision.status)
    holds.record(reply, decision)
    db.session.commit()
    if reply.is_published:
        notifications.announce(reply)
    return reply


def _status_after_edit(current: PostStatus, decision: holds.Decision) -> PostStatus:
    """An edit may send published text back to review but never skips review: held text
    stays held, removed stays removed, and rejected text goes back to the queue."""
    if current is PostStatus.REJECTED:
        return PostStatus.PENDING
    if current is PostStatus.PUBLISHED:
        return decision.status
    return current


def edit_post(post: Post, *, actor: User, draft: PostDraft) -> Post:
    """Apply an edit (the kind stays), keeping the previous version as a Revision and the tag
    pages in step. Raises NotAllowed, or DomainError(field=...)."""
    _require(policies.why_cannot_edit(actor, post))
    draft = PostDraft(**{**draft.__dict__, "kind": post.kind})
    tags, tag_problems = post_text.check_post_tags(draft.tag_names)
    post_text.raise_all(post_text.text_problems(draft) + tag_problems)
    decision = holds.decide(
        actor, title=draft.title, body=draft.body, is_edit=True, confirmed=draft.confirmed
    )
    revisions.keep_revision(post, actor)
    post.title = " ".join(draft.title.split())
    post.slug = lifecycle.slug_for(post.title, post.kind)
    was_waiting = post.status in (PostStatus.PENDING, PostStatus.REJECTED)
    lifecycle.refresh_text(post, draft.body)
    if post.kind is PostKind.STORY:
        post.experience_duration = draft.experience_duration
        post.experience_status = draft.experience_status
    post.status = _status_after_edit(post.status, decision)
    post.edited_at = utcnow()
    lifecycle.set_tags(post, tags)  # bumps every tag page the post was or is on
    if post.status is PostStatus.PENDING:
        holds.record(post, decision, waiting=was_waiting)
    db.session.commit()
    return post


def edit_reply(reply: Reply, *, actor: User, draft: ReplyDraft) -> Reply:
    """Apply an edit to a reply, keeping the previous version. Raises NotAllowed or
    DomainError(field="body")."""
    _require(policies.why_cannot_edit(actor, reply))
    post_text.check_reply_text(draft.body)
    decision = holds.decide(actor, body=draft.body, is_edit=True, confirmed=draft.confirmed)
    revisions.keep_revision(reply, actor)
    was_waiting = reply.status in (PostStatus.PENDING, PostStatus.REJECTED)
    lifecycle.refresh_text(reply, draft.body)
    was_published = reply.is_published
    reply.status = _status_after_edit(reply.status, decision)
    reply.edited_at = utcnow()
    if was_published and not reply.is_published:
        lifecycle.uncount_reply(reply.post)
    if reply.status is PostStatus.PENDING:
        holds.record(reply, decision, waiting=was_waiting)
    db.session.commit()
    return reply


def delete_post(post: Post, *, actor: User) -> Post:
    """The author's own delete: soft, so the text is kept and they still see it; other readers
    get a 410 page, and tag pages drop it. Raises NotAllowed."""
    policies.require(policies.can_delete_own(actor, post))
    lifecycle.remove_by_author(post, author=actor)
    db.session.commit()
    return post


def delete_reply(reply: Reply, *, actor: User) -> Reply:
    """The author's own delete of a reply (soft); the post's reply count drops. Raises
    NotAllowed."""
    policies.require(policies.can_delete_own(actor, reply))
    lifecycle.remove_by_author(reply, author=actor)
    db.session.commit()
    return reply


def get_reply_or_404(reply_id: int, *, viewer) -> Reply:
    """The reply if `viewer` may read it and its post. Raises NotFound, or Removed (410)."""
    reply = db.session.get(Reply, reply_id, options=[joinedload(Reply.author)])
    if reply is None:
        raise NotFound("We couldn’t find that reply. It may have been moved, or the link is wrong.")
    get_visible_or_404(reply.post_id, viewer=viewer)
    if reply.status is PostStatus.REMOVED and not policies.can_read_removed_text(viewer, reply):
        raise _removed(reply, "reply")
    if not policies.can_see_reply(viewer, reply):
        raise NotFound("We couldn’t find that reply. It may have been moved, or the link is wrong.")
    return reply
