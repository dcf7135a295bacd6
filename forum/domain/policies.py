"""Who may do what, and what each viewer may see. The one place authorization is decided.

Services call require(...); views and templates reuse the same predicates (they are exposed as
Jinja globals), so a button and its view share one rule. Viewers may be anonymous: anything
with is_authenticated False.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, or_

from forum.domain.models import (
    Article,
    Conversation,
    ModAction,
    ModerationAction,
    Post,
    PostStatus,
    Reply,
    Revision,
    RuleCategory,
    User,
    UserRole,
    UserStatus,
    utcnow,
)
from forum.errors import NotAllowed

STAFF_MODERATION = (UserRole.MODERATOR, UserRole.ADMIN)
STAFF_EDITORIAL = (UserRole.EDITOR, UserRole.ADMIN)
# Long enough to see a spammer's pattern, short enough not to hold back a real member for long.
NEW_MEMBER_PERIOD = timedelta(days=7)
# Screening rules that say something about the writer: that they may be in crisis, or that they
# shared someone's details. Only moderators see these rules named.
PRIVATE_RULE_CATEGORIES = frozenset({RuleCategory.CRISIS, RuleCategory.PERSONAL_INFO})


def require(allowed: bool, message: str = "You don’t have permission to do that.") -> None:
    if not allowed:
        raise NotAllowed(message)


def _signed_in(viewer) -> bool:
    return viewer is not None and bool(getattr(viewer, "is_authenticated", False))


def is_suspended(viewer) -> bool:
    """Suspended right now (a suspension ends by itself when its time is up)."""
    return viewer.suspended_until is not None and viewer.suspended_until > utcnow()


def is_sanctioned(viewer) -> bool:
    """Banned, erased or suspended right now."""
    return viewer.status in (UserStatus.BANNED, UserStatus.ERASED) or is_suspended(viewer)


def _staff(viewer, roles: tuple[UserRole, ...]) -> bool:
    """Staff powers go with the role only while the account is in good standing: a suspended
    or banned moderator, editor or admin is a reader like any other until it is lifted."""
    return _signed_in(viewer) and viewer.role in roles and not is_sanctioned(viewer)


def is_moderator(viewer) -> bool:
    return _staff(viewer, STAFF_MODERATION)


def is_admin(viewer) -> bool:
    return _staff(viewer, (UserRole.ADMIN,))


def is_editor(viewer) -> bool:
    return _staff(viewer, STAFF_EDITORIAL)


def _is_author(viewer, obj) -> bool:
    return _signed_in(viewer) and obj.author_id is not None and obj.author_id == viewer.id


# --- seeing content --------------------------------------------------------------------------


def can_see_post(viewer, post: Post) -> bool:
    """Published posts are public; held, rejected and removed ones only for author and staff."""
    return post.status is PostStatus.PUBLISHED or _is_author(viewer, post) or is_moderator(viewer)


def visible_posts(viewer) -> ColumnElement[bool]:
    """WHERE clause for lists, feeds and search: what `viewer` may see listed."""
    clause = Post.status == PostStatus.PUBLISHED
    if _signed_in(viewer) and not is_moderator(viewer):
        return or_(clause, Post.author_id == viewer.id)
    return clause


def can_see_reply(viewer, reply: Reply) -> bool:
    return reply.status is PostStatus.PUBLISHED or _is_author(viewer, reply) or is_moderator(viewer)


def visible_replies(viewer) -> ColumnElement[bool]:
    """Replies shown in a post’s page: published ones, plus the viewer’s own, plus all for staff.

    Removed replies stay in the list as a short "removed" notice so the conversation keeps
    its shape; the template shows their text only to author and moderators."""
    clause = Reply.status.in_((PostStatus.PUBLISHED, PostStatus.REMOVED))
    if is_moderator(viewer):
        return Reply.id.is_not(None)
    if _signed_in(viewer):
        return or_(clause, Reply.author_id == viewer.id)
    return clause


def can_read_removed_text(viewer, obj) -> bool:
    return _is_author(viewer, obj) or is_moderator(viewer)


def can_see_article(viewer, article: Article) -> bool:
    return article.is_published or is_editor(viewer)


def can_edit_articles(viewer) -> bool:
    """Editors and admins write, edit, publish and pin articles."""
    return is_editor(viewer)


def can_curate_tags(viewer) -> bool:
    """Editors and admins create, rename, merge and relate tags and curate their aliases."""
    return is_editor(viewer)


def is_public_rule(category: RuleCategory | None) -> bool:
    """Whether the public moderation log may name a screening rule of `category`. None is a code
    no rule has any more (renamed), so nobody can tell what it said: it is not named either."""
    return category is not None and category not in PRIVATE_RULE_CATEGORIES


# --- writing -----------------------------------------------------------------------------------


def why_cannot_post(viewer) -> str | None:
    """None when `viewer` may write stories, threads and replies; otherwise what to do about it."""
    if not _signed_in(viewer):
        return "Please log in to write on Cohort."
    if viewer.status in (UserStatus.BANNED, UserStatus.ERASED):
        return "This account can no longer post."
    if is_suspended(viewer):
        return (
            "Your account is suspended from posting until "
            f"{viewer.suspended_until:%d %b %Y}. You can still read."
        )
    if not viewer.is_verified:
        return "Please confirm your email address first: we sent you a link when you signed up."
    return None


def can_post(viewer) -> bool:
    return why_cannot_post(viewer) is None


def why_cannot_reply(viewer, post: Post) -> str | None:
    if post.status is not PostStatus.PUBLISHED:
        return "Replies open once this post is published."
    if post.is_locked and not is_moderator(viewer):
        return f"This {post.kind.value} is locked, so it doesn't take new replies."
    return why_cannot_post(viewer)


def can_reply(viewer, post: Post) -> bool:
    return why_cannot_reply(viewer, post) is None


def why_cannot_edit(viewer, obj: Post | Reply) -> str | None:
    """None when `viewer` may edit `obj` as its author; otherwise why not. Only authors edit
    through the ordinary edit form: moderators change other people's writing through
    can_edit_as_moderator, with a reason, a log entry and a word to the author."""
    if not _is_author(viewer, obj):
        if can_edit_as_moderator(viewer, obj):
            return (
                "This is someone else’s writing. As a moderator, use “Edit (moderator)” on its "
                "page: it asks for a reason and tells the author what changed."
            )
        return "Only the author can edit this."
    if (reason := why_cannot_post(viewer)) is not None:
        return reason
    if obj.status is PostStatus.REMOVED and obj.removed_by_id not in (None, obj.author_id):
        return "A moderator removed this, so it can’t be edited any more."
    return None


def can_edit(viewer, obj: Post | Reply) -> bool:
    """Authors edit their own posts and replies (unless a moderator removed them)."""
    return why_cannot_edit(viewer, obj) is None


def can_delete(viewer, obj: Post | Reply) -> bool:
    """Authors delete their own (soft); moderators remove anything through moderation."""
    return obj.status is not PostStatus.REMOVED and (
        _is_author(viewer, obj) or is_moderator(viewer)
    )


def can_edit_as_moderator(viewer, obj: Post | Reply) -> bool:
    """Moderators edit other people's published writing in the open: with a reason the author
    is told, logged, and with the earlier versions kept from readers (a redaction). Held and
    flag-hidden writing is edited from the review queue instead, before it is approved; their
    own writing through the ordinary edit form."""
    return (
        is_moderator(viewer) and not _is_author(viewer, obj) and obj.status is PostStatus.PUBLISHED
    )


def can_see_history(viewer, obj: Post | Reply) -> bool:
    return obj.status is PostStatus.PUBLISHED or _is_author(viewer, obj) or is_moderator(viewer)


def can_see_revision(viewer, obj: Post | Reply, revision: Revision) -> bool:
    """One earlier version in a history. Versions readers saw stay readable (readers see
    "edited" and can follow the changes); versions from before the first publication (a held
    original, edits while waiting) only for the author and moderators; versions a moderator
    later edited away (a redaction) only for moderators."""
    if is_moderator(viewer):
        return True
    if not can_see_history(viewer, obj) or revision.redacted:
        return False
    return not revision.before_publication or _is_author(viewer, obj)


def can_delete_own(viewer, obj: Post | Reply) -> bool:
    """The author's own soft delete. Moderators remove other people's writing through
    moderation instead, where a reason is required and the action is logged."""
    return can_delete(viewer, obj) and _is_author(viewer, obj)


def joined_recently(viewer) -> bool:
    """Joined less than NEW_MEMBER_PERIOD ago: tighter posting limits apply, and their reports
    weigh less. (Screening's "new member" is wider: holds.is_new_member.)"""
    return _signed_in(viewer) and viewer.created_at > utcnow() - NEW_MEMBER_PERIOD


def can_flag(viewer, obj: Post | Reply) -> bool:
    """Verified members report other people's published writing."""
    return (
        _signed_in(viewer)
        and viewer.is_verified
        and obj.status is PostStatus.PUBLISHED
        and not _is_author(viewer, obj)
    )


# --- private conversations with the moderators -----------------------------------------------

# Decisions about a member's writing that they may ask the moderators to look at again.
APPEALABLE_ACTIONS = frozenset({ModAction.REJECT, ModAction.REMOVE})


def has_staff_inbox(viewer) -> bool:
    """Moderators and admins share one inbox: every conversation, whoever started it."""
    return is_moderator(viewer)


def can_read_conversation(viewer, conversation: Conversation) -> bool:
    """The member it is with, and the whole moderation team; nobody else (not editors)."""
    return has_staff_inbox(viewer) or (_signed_in(viewer) and conversation.member_id == viewer.id)


def visible_conversations(viewer) -> ColumnElement[bool]:
    """WHERE clause for the /messages list: all for the team, a member's own otherwise."""
    if has_staff_inbox(viewer):
        return Conversation.id.is_not(None)
    return Conversation.member_id == (viewer.id if _signed_in(viewer) else -1)


def can_reply_conversation(viewer, conversation: Conversation) -> bool:
    """Anyone who may read it may answer; a suspension does not stop a member talking to the
    moderators (that is how they ask about it)."""
    return can_read_conversation(viewer, conversation) and viewer.status in (
        UserStatus.ACTIVE,
        UserStatus.SUSPENDED,
    )


def can_start_conversation(viewer, member: User) -> bool:
    """Moderators write to any member who can still log in to read it, but not to themselves."""
    return (
        has_staff_inbox(viewer)
        and member.id != viewer.id
        and member.status in (UserStatus.ACTIVE, UserStatus.SUSPENDED)
    )


def can_appeal(viewer, entry: ModerationAction) -> bool:
    """A member asks for a rejection or removal of their own writing to be looked at again."""
    return (
        _signed_in(viewer)
        and entry.subject_user_id == viewer.id
        and entry.action in APPEALABLE_ACTIONS
        and viewer.status in (UserStatus.ACTIVE, UserStatus.SUSPENDED)
    )
