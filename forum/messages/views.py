"""Private conversations between the moderators and a member: the list at /messages (a
member's own; the team's shared inbox for moderators), one conversation, replying, a
moderator starting one from the queue, a member's page or the log, and a member's appeal."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.domain import policies
from forum.domain.models import Conversation, ConversationKind, ModerationAction, ReviewItem, User
from forum.domain.services import conversations
from forum.domain.services.conversations import About
from forum.errors import DomainError, NotFound
from forum.extensions import db, limiter
from forum.forms import EmptyForm
from forum.http import db_id
from forum.messages import notify, starters
from forum.messages.forms import AppealForm, MessageForm, NewConversationForm
from forum.posts import limits

bp = Blueprint("messages", __name__, url_prefix="/messages")

CANNOT_WRITE = (
    "You can write to members who can log in to read it (not banned or erased), not to yourself."
)

# Members' messages count as writing, like replies (forum/posts/limits.py).
_write_limit = limiter.limit(
    limits.replies_per_member,
    key_func=limits.member_key,
    methods=["POST"],
    deduct_when=limits.published,
)


def _me() -> User:
    return current_user._get_current_object()


@bp.get("")
@login_required
def inbox():
    page = request.args.get("page", 1, type=db_id) or 1
    found = conversations.inbox(_me(), page=page)
    size = conversations.INBOX_PAGE_SIZE
    return render_template(
        "messages/inbox.html",
        conversations=found[:size],
        page=page,
        more=len(found) > size,
        team=policies.has_staff_inbox(current_user),
        form=EmptyForm(),
    )


@bp.get("/<int:conversation_id>")
@login_required
def show(conversation_id: int):
    conversation = conversations.get_readable_or_404(current_user, conversation_id)
    return _conversation_page(conversation, MessageForm())


def _conversation_page(conversation: Conversation, form: MessageForm, status: int = 200):
    team = conversation.member_id != current_user.id
    unread = conversation.unread_by_staff if team else conversation.unread_by_member
    return render_template(
        "messages/show.html",
        conversation=conversation,
        messages=conversations.messages_in(conversation),
        form=form,
        read_form=EmptyForm(),
        team=team,
        unread=unread,
    ), status


@bp.post("/<int:conversation_id>/reply")
@login_required
@_write_limit
def reply(conversation_id: int):
    conversation = conversations.get_readable_or_404(current_user, conversation_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            message = conversations.reply(_me(), conversation, form.body.data)
        except DomainError as err:
            form.show(err)
        else:
            if message.from_staff:
                notify.message_waiting(conversation)
            flash("Your message is sent.")
            return redirect(_url(conversation, _anchor=f"message-{message.id}"))
    return _conversation_page(conversation, form, status=400)


@bp.post("/<int:conversation_id>/read")
@login_required
def read(conversation_id: int):
    conversation = conversations.get_readable_or_404(current_user, conversation_id)
    if EmptyForm().validate_on_submit():
        conversations.mark_read(_me(), conversation)
    if request.form.get("back") == "inbox":
        return redirect(url_for("messages.inbox"))
    return redirect(_url(conversation))


def _url(conversation: Conversation, **anchor) -> str:
    return url_for("messages.show", conversation_id=conversation.id, **anchor)


# --- moderators start a conversation ----------------------------------------------------------


@bp.route("/new", methods=("GET", "POST"))
@login_required
def new():
    policies.require(policies.has_staff_inbox(current_user), "Only moderators start conversations.")
    member, about = _who_and_what()
    if member is None:
        flash("Choose the member to write to: from the queue, their page or the log.", "warning")
        return redirect(url_for("moderation.members"))
    policies.require(policies.can_start_conversation(current_user, member), CANNOT_WRITE)
    form = NewConversationForm()
    if form.validate_on_submit():
        try:
            conversation = conversations.start_conversation(
                _me(), member, kind=ConversationKind(form.kind.data), subject=form.subject.data,
                body=form.body.data, about=about,
            )  # fmt: skip
        except DomainError as err:
            form.show(err)
        else:
            notify.message_waiting(conversation)
            flash(f"Your message to {member.pseudonym} is sent.")
            return redirect(_url(conversation))
    elif not form.is_submitted():
        _prefill(form, member)
    return render_template(
        "messages/new.html", form=form, member=member, about=about, starters=starters.STARTERS
    )


def _who_and_what() -> tuple[User | None, About]:
    """The member and what it is about, from ?member=, ?item= (a queue item) or ?action= (a
    log entry). A queue item or a log entry names its member; one that names someone else is
    a broken link (404)."""
    item = _get(ReviewItem, "item")
    entry = _get(ModerationAction, "action")
    member = _get(User, "member")
    named = set()
    if item is not None:
        named.add((item.post or item.reply).author_id)
    if entry is not None:
        named.add(entry.subject_user_id or entry.user_id)
    if member is None and len(named) == 1 and None not in named:
        member = db.session.get(User, named.pop())
    elif member is not None and named - {member.id}:
        raise NotFound("That queue item or log entry is about someone else.")
    return member, About(review_item=item, moderation_action=entry)


def _get(model, arg: str):
    if (value := request.args.get(arg, type=db_id)) is None:
        return None
    found = db.session.get(model, value)
    if found is None:
        abort(404)
    return found


def _prefill(form: NewConversationForm, member: User) -> None:
    starter = starters.BY_KEY.get(request.args.get("starter", ""), starters.STARTERS[0])
    form.kind.data = starter.kind.value
    form.subject.data = starter.subject
    form.body.data = starters.text_of(starter, member.pseudonym)


# --- a member appeals a decision -----------------------------------------------------------------


@bp.route("/appeal/<int:action_id>", methods=("GET", "POST"))
@login_required
@_write_limit
def appeal(action_id: int):
    entry = db.session.get(ModerationAction, action_id)
    if entry is None:
        abort(404)
    policies.require(policies.can_appeal(current_user, entry), "Only the writer can appeal this.")
    if request.method == "GET" and (found := conversations.existing_appeal(entry)) is not None:
        return redirect(_url(found))  # one appeal per decision: the second click lands here
    form = AppealForm()
    if form.validate_on_submit():
        try:
            conversation = conversations.appeal(_me(), entry, form.body.data)
        except DomainError as err:
            form.show(err)
        else:
            flash("Your appeal is with the moderators. They will answer here.")
            return redirect(_url(conversation))
    return render_template("messages/appeal.html", form=form, entry=entry)
