"""Acting on a published post or reply from its page: remove, restore, lock, edit, retag, pin."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from forum import notify
from forum.domain.models import (
    Post,
    Reply,
)
from forum.domain.services import (
    content_actions,
    listings,
)
from forum.errors import DomainError
from forum.moderation.forms import (
    PinForm,
    ReasonForm,
    RetagForm,
)
from forum.moderation.staff import bp, me, text_form


def _target(kind: str, target_id: int) -> Post | Reply:
    target = content_actions.find_target(Post if kind == "posts" else Reply, target_id)
    if target is None:
        abort(404)
    return target


def _back_to(target: Post | Reply) -> str:
    post = target if isinstance(target, Post) else target.post
    anchor = None if isinstance(target, Post) else f"reply-{target.id}"
    return url_for("posts.show", post_id=post.id, slug=post.slug, _anchor=anchor)


@bp.route(
    "/<any(posts, replies):kind>/<int:target_id>/<any(remove, restore, lock, unlock):action>",
    methods=("GET", "POST"),
)
def act(kind: str, target_id: int, action: str):
    target = _target(kind, target_id)
    if action in ("lock", "unlock") and not isinstance(target, Post):
        abort(404)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            if action == "remove":
                outcome = content_actions.remove(target, actor=me(), reason=form.reason.data)
            elif action == "restore":
                outcome = content_actions.restore(target, actor=me(), reason=form.reason.data)
            else:
                outcome = content_actions.set_locked(
                    target, actor=me(), locked=action == "lock", reason=form.reason.data
                )
        except DomainError as err:
            form.show(err)
        else:
            notify.tell_author(outcome)
            flash(f"Done: {outcome.action.label.lower()}.")
            return redirect(_back_to(target))
    return render_template("moderation/act.html", target=target, action=action, form=form), (
        400 if form.is_submitted() else 200
    )


@bp.route("/<any(posts, replies):kind>/<int:target_id>/edit", methods=("GET", "POST"))
def edit(kind: str, target_id: int):
    """Edit someone's published writing in the open (see content_actions.edit)."""
    target = _target(kind, target_id)
    form = text_form(target)
    if form.validate_on_submit():
        try:
            outcome = content_actions.edit(
                target,
                actor=me(),
                title=form.title.data,
                body=form.body.data,
                reason=form.reason.data,
            )
        except DomainError as err:
            form.show(err)
        else:
            notify.tell_author(outcome)
            flash("Edited. The author has been told, with your reason.")
            return redirect(_back_to(target))
    return render_template("moderation/edit.html", item=None, target=target, form=form), (
        400 if form.is_submitted() else 200
    )


@bp.route("/posts/<int:post_id>/retag", methods=("GET", "POST"))
def retag(post_id: int):
    post = _target("posts", post_id)
    form = RetagForm(
        data={"tags": ", ".join(t.name for t in listings.sorted_tags(post.tags))}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            outcome = content_actions.retag(
                post,
                actor=me(),
                reason=form.reason.data,
                tag_names=[t.strip() for t in form.tags.data.split(",") if t.strip()],
            )
        except DomainError as err:
            form.show(err)
        else:
            notify.tell_author(outcome)
            flash("Tags changed.")
            return redirect(_back_to(post))
    return render_template("moderation/retag.html", post=post, form=form)


@bp.route("/posts/<int:post_id>/pin", methods=("GET", "POST"))
def pin(post_id: int):
    post = _target("posts", post_id)
    links = {link.tag_id: link for link in post.tag_links}
    form = PinForm()
    form.tag.choices = [
        (
            str(t.id),
            f"{t.name} ({'pinned: unpin it' if links[t.id].pinned_at else 'not pinned: pin it'})",
        )
        for t in listings.sorted_tags(post.tags)
    ]
    if form.validate_on_submit():
        try:
            tag = content_actions.toggle_pin(
                post, int(form.tag.data), actor=me(), reason=form.reason.data
            )
        except DomainError as err:
            form.show(err)
        else:
            flash(f"Done. See the {tag.name} page.")
            return redirect(_back_to(post))
    return render_template("moderation/pin.html", post=post, form=form)
