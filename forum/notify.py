"""Telling people what moderation did: authors hear the outcome, moderators hear of urgent items.

Emails for now; in-app notifications use the same calls. Nothing is sent to erased accounts.
"""

from __future__ import annotations

from flask import get_template_attribute
from sqlalchemy import select

from forum import mail
from forum.domain.models import ModAction, Post, Reply, ReviewItem, User, UserRole, UserStatus
from forum.domain.services import holds, notifications
from forum.domain.services.content_actions import Outcome
from forum.extensions import db

_PHRASES = {
    ModAction.APPROVE: "is now published",
    ModAction.REJECT: "was not published",
    ModAction.REMOVE: "was removed by a moderator",
    ModAction.RESTORE: "was restored by a moderator",
    ModAction.LOCK: "was locked: it no longer takes replies",
    ModAction.UNLOCK: "was unlocked: it takes replies again",
    ModAction.RETAG: "had its tags changed by a moderator",
    ModAction.EDIT: "was edited by a moderator",
    ModAction.DISAGREE_FLAGS: "was checked by a moderator and stays as it is",
}


def _noun(target: Post | Reply) -> str:
    if isinstance(target, Post):
        return target.kind.value
    return "comment" if target.post.kind.value == "story" else "reply"


def _what(target: Post | Reply) -> tuple[str, Post]:
    if isinstance(target, Post):
        return f"Your {_noun(target)} “{target.title}”", target
    return f"Your {_noun(target)} on “{target.post.title}”", target.post


def _mailable(user: User | None) -> bool:
    return user is not None and user.status is not UserStatus.ERASED and bool(user.email)


def tell_author(outcome: Outcome) -> None:
    """An in-app notification and an email: the author always hears what happened."""
    target = outcome.target
    author = target.author
    if author is None or outcome.action not in _PHRASES or author.status is UserStatus.ERASED:
        return
    what, post = _what(target)
    if outcome.crisis and outcome.action in _NOT_PUBLISHED:
        _tell_kindly(outcome, post)
        return
    message = f"{what} {_PHRASES[outcome.action]}" + (
        f": {outcome.reason}" if outcome.reason else "."
    )
    notifications.moderation_notice(
        author,
        post_id=post.id,
        reply_id=target.id if isinstance(target, Reply) else None,
        message=message,
    )
    if not _mailable(author):
        return
    mail.send(
        author.email,
        f"{what} {_PHRASES[outcome.action]}",
        "moderation_outcome",
        user=author,
        what=what,
        phrase=_PHRASES[outcome.action],
        reason=outcome.reason,
        rejected=outcome.action is ModAction.REJECT,
        link=mail.external_url("posts.show", post_id=post.id, slug=post.slug),
        standing=mail.external_url("accounts.standing"),
    )


# Outcomes that keep someone's words from readers: when the writer may be in crisis, these are
# told with care and the crisis resources, never as a bare refusal.
_NOT_PUBLISHED = (ModAction.REJECT, ModAction.REMOVE)


def _tell_kindly(outcome: Outcome, post: Post) -> None:
    """Short and warm, with the help lines first and the moderator's note last: the in-app
    notice is cut at 600 characters, and the email carries the note in full. Neither subject
    nor notice says why it was held."""
    target, author = outcome.target, outcome.target.author
    yours = f"your {_noun(target)}"
    help_now = get_template_attribute("_macros/safety.html", "crisis_resources_text")(short=True)
    note = f" A note from the moderator: {outcome.reason}" if outcome.reason else ""
    notifications.moderation_notice(
        author,
        post_id=post.id,
        reply_id=target.id if isinstance(target, Reply) else None,
        message=f"We didn’t publish {yours}, but we read it, and we care about how you are. "
        f"{help_now}{note}",
    )
    if _mailable(author):
        what, _ = _what(target)
        mail.send(
            author.email,
            f"About {yours} on Cohort",
            "moderation_care",
            user=author,
            what=what[0].lower() + what[1:],
            reason=outcome.reason,
            link=mail.external_url("posts.show", post_id=post.id, slug=post.slug),
        )


def tell_moderators(item: ReviewItem) -> None:
    """An urgent item (someone may be in crisis) reaches every moderator at once."""
    moderators = db.session.scalars(
        select(User).where(
            User.role.in_((UserRole.MODERATOR, UserRole.ADMIN)), User.status == UserStatus.ACTIVE
        )
    ).all()
    link = mail.external_url("moderation.item", item_id=item.id)
    for moderator in moderators:
        if _mailable(moderator):
            mail.queue(
                moderator.email,
                "Urgent: someone on Cohort may be in crisis",
                "moderation_urgent",
                user=moderator,
                link=link,
                reasons=item.reasons,
            )
    db.session.commit()


def after_submission(target: Post | Reply) -> ReviewItem | None:
    """Call after a member's new or edited text is committed: the open review item, if held,
    with moderators told at once when it is urgent."""

    item = holds.hold_notice(target)
    if item is not None and item.urgent:
        tell_moderators(item)
    return item
