"""The review queue screens: the queue, one item, and approving, editing, rejecting, removing or
clearing the reports of what waits there."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from forum import notify
from forum.domain.models import (
    ReviewItem,
)
from forum.domain.services import (
    content_actions,
    review_queue,
)
from forum.errors import Conflict, DomainError
from forum.moderation.forms import (
    ReasonForm,
    RejectForm,
)
from forum.moderation.staff import bp, me, text_form


@bp.get("")
@bp.get("/queue")
def queue():
    return render_template(
        "moderation/queue.html",
        entries=review_queue.queue(),
        reject_form=RejectForm(),
        reason_form=ReasonForm(),
    )


def _item_or_404(item_id: int) -> ReviewItem:
    item = review_queue.find_item(item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/items/<int:item_id>")
def item(item_id: int):
    return _item_page(_item_or_404(item_id))


def _item_page(item: ReviewItem, *, reject_form=None, reason_form=None, status: int = 200):
    return render_template(
        "moderation/item.html",
        item=item,
        entry=review_queue.entry(item),
        target=item.post or item.reply,
        reject_form=reject_form or RejectForm(),
        reason_form=reason_form or ReasonForm(),
    ), status


def _done(outcome: content_actions.Outcome, message: str):
    notify.tell_author(outcome)
    flash(message)
    return redirect(url_for("moderation.queue"))


def _conflict(item: ReviewItem, err: Conflict):
    flash(err.message, "warning")
    return redirect(url_for("moderation.queue")), 303


@bp.post("/items/<int:item_id>/approve")
def approve(item_id: int):
    item = _item_or_404(item_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _item_page(item, reason_form=form, status=400)
    try:
        outcome = review_queue.approve(item_id, actor=me(), reason=form.reason.data)
    except Conflict as err:
        return _conflict(item, err)
    return _done(outcome, "Approved: it is published now.")


@bp.route("/items/<int:item_id>/edit", methods=("GET", "POST"))
def edit_and_approve(item_id: int):
    item = _item_or_404(item_id)
    target = item.post or item.reply
    form = text_form(target)
    if form.validate_on_submit():
        try:
            outcome = review_queue.approve(
                item_id,
                actor=me(),
                title=form.title.data,
                body=form.body.data,
                reason=form.reason.data,
            )
        except Conflict as err:
            return _conflict(item, err)
        except DomainError as err:
            form.show(err)
        else:
            return _done(outcome, "Edited and approved: it is published now.")
    return render_template("moderation/edit.html", item=item, target=target, form=form)


@bp.post("/items/<int:item_id>/reject")
def reject(item_id: int):
    item = _item_or_404(item_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            outcome = review_queue.reject(item_id, actor=me(), reason=form.full_reason())
        except Conflict as err:
            return _conflict(item, err)
        except DomainError as err:
            form.show(err)
        else:
            return _done(outcome, "Rejected: the author has been told why and keeps their text.")
    return _item_page(item, reject_form=form, status=400)


@bp.post("/items/<int:item_id>/remove")
def remove_item(item_id: int):
    item = _item_or_404(item_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            outcome = review_queue.remove_item(item_id, actor=me(), reason=form.reason.data)
        except Conflict as err:
            return _conflict(item, err)
        except DomainError as err:
            form.show(err)
        else:
            return _done(outcome, "Removed. The author has been told why.")
    return _item_page(item, reason_form=form, status=400)


@bp.post("/items/<int:item_id>/ignore-flags")
def ignore_flags(item_id: int):
    item = _item_or_404(item_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _item_page(item, reason_form=form, status=400)
    try:
        outcome = review_queue.ignore_flags(item_id, actor=me(), reason=form.reason.data)
    except Conflict as err:
        return _conflict(item, err)
    return _done(outcome, "Flags cleared; the content stays as it is.")
