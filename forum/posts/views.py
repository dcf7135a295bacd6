"""Stories, threads and replies: reading, writing, editing, deleting, history, and drafts."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from forum import notify
from forum.domain import policies
from forum.domain.models import Post, PostStatus, ReviewItem
from forum.domain.services import drafts, holds, listings, post_text, posts, reports, revisions
from forum.errors import DomainError
from forum.extensions import limiter
from forum.forms import EmptyForm, split_tags
from forum.http import db_id
from forum.posts import limits
from forum.posts.forms import AutosaveForm, PostEditForm, PostForm, ReplyForm
from forum.reported import just_reported
from forum.templating import isodate
from forum.text import excerpt

bp = Blueprint("posts", __name__)

DRAFT_EXCERPT_LENGTH = 200  # enough of an untitled draft to recognise it before deleting it

# The crisis resources box (templates/_macros/safety.html): where a member goes after writing
# words that were held because they may be in crisis.
CRISIS_HELP = "crisis-help"


def _post_url(post: Post, **anchor) -> str:
    return url_for("posts.show", post_id=post.id, slug=post.slug, **anchor)


def _noun(post: Post) -> str:
    """Stories get comments; threads get replies."""
    return "comment" if post.kind.value == "story" else "reply"


def _published_message(post: Post) -> str:
    if post.is_published:
        return f"Your {post.kind.value} is published. Thank you for sharing it."
    return (
        f"Thank you. Your {post.kind.value} is waiting for a moderator to look at it; "
        "it will appear for everyone once they have."
    )


@bp.route("/posts/new", methods=("GET", "POST"))
@login_required
@limiter.limit(
    limits.posts_per_member,
    key_func=limits.member_key,
    methods=["POST"],
    exempt_when=limits.not_publishing,
    deduct_when=limits.published,
)
def new():
    form = PostForm()
    if request.method == "GET":
        if (saved_id := request.args.get("draft", type=db_id)) is not None:
            form.prefill(drafts.get_own_or_404(current_user, saved_id))
        elif request.args.get("kind") in ("story", "thread"):
            form.kind.data = request.args["kind"]
        blocked = policies.why_cannot_post(current_user)
        return render_template("posts/compose.html", form=form, preview=None, blocked=blocked)
    preview = None
    if form.validate_on_submit():
        try:
            if form.intent == "publish":
                post = posts.create_post(
                    current_user, form.to_draft(), saved_draft_id=form.saved_draft_id
                )
                held = notify.after_submission(post)
                flash(_published_message(post))
                return redirect(_post_url(post, _anchor=_crisis_anchor(held)))
            preview = _preview_or_save(form)
        except DomainError as err:
            form.show(err)
    elif form.is_submitted():
        _show_tag_problems(form)
    return render_template("posts/compose.html", form=form, preview=preview, blocked=None)


def _show_tag_problems(form: PostForm | PostEditForm) -> None:
    """The form's own checks (title, kind...) stopped the request before the service: name
    the tag problems too, so every problem shows at once. A draft's tags wait for publishing."""
    if form.intent != "draft":
        form.show_also(post_text.check_post_tags(split_tags(form.tags.data))[1])


def _preview_or_save(form: PostForm) -> post_text.PostPreview | None:
    """The compose page's other two buttons: both keep the member on the page."""
    if form.intent == "preview":
        preview = post_text.preview_post(form.to_draft())
        for problem in preview.problems:
            form.show(problem)
        return preview
    saved = drafts.save_draft(current_user, form.to_draft(), draft_id=form.saved_draft_id)
    form.draft_id.data = str(saved.id)
    flash("Your draft is saved. You can come back to it any time from “Your drafts”.")
    return None


@bp.post("/drafts/autosave")
@limiter.limit(limits.AUTOSAVES, key_func=limits.member_key)
def autosave():
    """The compose page's autosave: JSON in, JSON out."""
    if not current_user.is_authenticated:
        message = "You are logged out, so we couldn’t save a draft. Copy your text, then log in."
        return jsonify(error=message), 401
    if not isinstance(request.get_json(silent=True), dict):
        return jsonify(error="We couldn’t read that draft."), 400
    form = AutosaveForm()
    if not form.validate():
        errors = {name: messages for name, messages in form.errors.items()}
        return jsonify(error="Some of this is too long to save as a draft.", fields=errors), 400
    try:
        saved = drafts.save_draft(current_user, form.to_draft(), draft_id=form.saved_draft_id)
    except DomainError as err:
        return jsonify(error=err.message, field=err.field), err.status_code
    return jsonify(id=saved.id, saved_at=isodate(saved.updated_at))


@bp.get("/drafts", endpoint="drafts")
@login_required
def drafts_list():
    return render_template("posts/drafts.html", drafts=drafts.list_drafts(current_user))


@bp.route("/drafts/<int:draft_id>/delete", methods=("GET", "POST"))
@login_required
def delete_draft(draft_id: int):
    """Asks first (a page, so it works without JavaScript): a deleted draft is gone for good."""
    draft = drafts.get_own_or_404(current_user, draft_id)
    form = EmptyForm()
    if form.validate_on_submit():
        drafts.delete_draft(current_user, draft.id)
        flash("Your draft is deleted.")
        return redirect(url_for("posts.drafts"))
    start = excerpt(draft.body, DRAFT_EXCERPT_LENGTH)
    return render_template("posts/confirm_delete_draft.html", form=form, draft=draft, start=start)


@bp.get("/posts/<int:post_id>", defaults={"slug": None})
@bp.get("/posts/<int:post_id>/<slug>")
def show(post_id: int, slug: str | None):
    post = posts.get_visible_or_404(post_id, viewer=current_user)
    if slug != post.slug:
        # Keep the query (e.g. ?after=), minus anything that would clash with the URL's own
        # parts or url_for's options (?post_id=, ?_external=).
        query = {
            k: v for k, v in request.args.lists() if k not in request.view_args and k[:1] != "_"
        }
        return redirect(url_for("posts.show", post_id=post.id, slug=post.slug, **query), 301)
    return _post_page(post, ReplyForm(), after=request.args.get("after", type=db_id))


def _post_page(post: Post, reply_form: ReplyForm, *, after: int | None = None) -> str:
    replies = listings.replies_page(
        post, viewer=current_user, after=after, limit=current_app.config["REPLIES_PER_PAGE"]
    )
    hold = holds.hold_notice(post) if post.status is PostStatus.PENDING else None
    return render_template(
        "posts/show.html",
        post=post,
        tags=listings.sorted_tags(post.tags),
        replies=replies,
        reply_form=reply_form,
        reported=reports.reported_on_page(current_user, post),
        just_reported=just_reported(),
        hold=hold,
        crisis=holds.is_crisis(hold),
    )


@bp.post("/posts/<int:post_id>/replies")
@login_required
@limiter.limit(limits.replies_per_member, key_func=limits.member_key, deduct_when=limits.published)
def reply(post_id: int):
    post = posts.get_visible_or_404(post_id, viewer=current_user)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            new_reply = posts.create_reply(current_user, post, form.to_draft())
        except DomainError as err:
            form.show(err)
        else:
            anchor = _after_hold(notify.after_submission(new_reply), f"reply-{new_reply.id}")
            noun = _noun(post)
            flash(f"Your {noun} is posted." if new_reply.is_published else _held(noun))
            return redirect(_post_url(post, _anchor=anchor))
    # Never send the member away from what they typed: the page comes back with it.
    return _post_page(post, form)


def _crisis_anchor(item: ReviewItem | None) -> str | None:
    """A held post shows the crisis resources on its own page: go straight to them."""
    return CRISIS_HELP if holds.is_crisis(item) else None


def _after_hold(item: ReviewItem | None, anchor: str) -> str:
    """Where to send a member after their reply is saved: to it, or when it was held because
    they may be in crisis, to the crisis resources. A held reply has no page of its own, so they
    come as the first message on the post page, and the browser goes to them, not to the reply
    far below (thousands of pixels on a phone)."""
    if not holds.is_crisis(item):
        return anchor
    flash("crisis", "crisis")
    return CRISIS_HELP


def _held(noun: str) -> str:
    return f"Thank you. Your {noun} will appear once a moderator has looked at it."


def _require_editable(obj) -> None:
    """Only authors edit here; the 403 page says why, and where a moderator goes instead."""
    reason = policies.why_cannot_edit(current_user, obj)
    policies.require(reason is None, reason or "")


@bp.route("/posts/<int:post_id>/edit", methods=("GET", "POST"))
@login_required
def edit(post_id: int):
    post = posts.get_visible_or_404(post_id, viewer=current_user)
    _require_editable(post)
    form, preview = PostEditForm(), None
    if not form.is_submitted():
        form.prefill(post)
    elif form.validate_on_submit():
        try:
            if form.intent == "preview":
                preview = post_text.preview_post(form.to_draft(post.kind))
                for problem in preview.problems:
                    form.show(problem)
            else:
                posts.edit_post(post, actor=current_user, draft=form.to_draft(post.kind))
                held = notify.after_submission(post)
                flash("Your changes are saved.")
                return redirect(_post_url(post, _anchor=_crisis_anchor(held)))
        except DomainError as err:
            form.show(err)
    else:
        _show_tag_problems(form)
    return render_template("posts/edit.html", form=form, post=post, reply=None, preview=preview)


@bp.route("/replies/<int:reply_id>/edit", methods=("GET", "POST"))
@login_required
def edit_reply(reply_id: int):
    reply = posts.get_reply_or_404(reply_id, viewer=current_user)
    _require_editable(reply)
    form = ReplyForm(obj=reply)
    if form.validate_on_submit():
        try:
            posts.edit_reply(reply, actor=current_user, draft=form.to_draft())
        except DomainError as err:
            form.show(err)
        else:
            anchor = _after_hold(notify.after_submission(reply), f"reply-{reply.id}")
            flash("Your changes are saved.")
            return redirect(_post_url(reply.post, _anchor=anchor))
    return render_template("posts/edit.html", form=form, post=reply.post, reply=reply, preview=None)


@bp.route("/posts/<int:post_id>/delete", methods=("GET", "POST"))
@login_required
def delete(post_id: int):
    post = posts.get_visible_or_404(post_id, viewer=current_user)
    policies.require(policies.can_delete_own(current_user, post))
    form = EmptyForm()
    if form.validate_on_submit():
        posts.delete_post(post, actor=current_user)
        flash(f"Your {post.kind.value} is deleted. Other readers can no longer see it.")
        return redirect(_post_url(post))
    return render_template("posts/confirm_delete.html", form=form, post=post, reply=None)


@bp.route("/replies/<int:reply_id>/delete", methods=("GET", "POST"))
@login_required
def delete_reply(reply_id: int):
    reply = posts.get_reply_or_404(reply_id, viewer=current_user)
    policies.require(policies.can_delete_own(current_user, reply))
    form = EmptyForm()
    if form.validate_on_submit():
        posts.delete_reply(reply, actor=current_user)
        noun = _noun(reply.post)
        flash(f"Your {noun} is deleted. Other readers now see a short note in its place.")
        return redirect(_post_url(reply.post, _anchor=f"reply-{reply.id}"))
    return render_template("posts/confirm_delete.html", form=form, post=reply.post, reply=reply)


@bp.get("/posts/<int:post_id>/history")
def history(post_id: int):
    post = posts.get_visible_or_404(post_id, viewer=current_user)
    versions = revisions.history(post, viewer=current_user)
    return render_template("posts/history.html", post=post, reply=None, versions=versions)


@bp.get("/replies/<int:reply_id>/history")
def reply_history(reply_id: int):
    reply = posts.get_reply_or_404(reply_id, viewer=current_user)
    versions = revisions.history(reply, viewer=current_user)
    return render_template("posts/history.html", post=reply.post, reply=reply, versions=versions)
