"""A member's account: settings, password and email, export, erasure; and public profiles."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, logout_user

from forum import account_emails as emails
from forum.accounts.forms import ChangeEmailForm, ChangePasswordForm, EraseForm
from forum.domain.models import User, UserStatus
from forum.domain.services import accounts, data_export, erasure, listings, moderation_log
from forum.domain.services.listings import Cursor
from forum.errors import DomainError, NotFound
from forum.extensions import limiter
from forum.forms import EmptyForm
from forum.login import stay_logged_in

bp = Blueprint("accounts", __name__)


def member() -> User:
    """The signed-in User itself (services and login_user need the object, not the proxy)."""
    return current_user._get_current_object()


@bp.get("/account")
@login_required
def settings():
    return render_template("accounts/settings.html", resend_form=EmptyForm())


@bp.route("/account/password", methods=("GET", "POST"))
@login_required
@limiter.limit("10 per hour", methods=["POST"], key_func=lambda: f"pw:{current_user.id}")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.change_password(
                member(), current=form.current_password.data, new=form.new_password.data
            )
        except DomainError as err:
            form.show(err)
        else:
            stay_logged_in(user)  # this session carries the new session version; others end
            emails.send_password_changed(user)
            flash("Your password is changed. Any other devices have been logged out.")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/email", methods=("GET", "POST"))
@login_required
@limiter.limit("5 per hour", methods=["POST"], key_func=lambda: f"email:{current_user.id}")
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        old_email = current_user.email
        try:
            token = accounts.request_email_change(
                member(), password=form.password.data, new_email=form.new_email.data
            )
        except DomainError as err:
            form.show(err)
        else:
            emails.send_email_change(member(), token, old_email)
            flash(
                f"We sent a link to {current_user.pending_email}. Your address changes when "
                "you open it."
            )
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_email.html", form=form)


@bp.get("/account/export")
@login_required
@limiter.limit("10 per hour", key_func=lambda: f"export:{current_user.id}")
def export():
    data = data_export.export_data(member())
    body = json.dumps(data, indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="cohort-{current_user.pseudonym_key}.json"'
            ),
            "Cache-Control": "no-store",
        },
    )


@bp.route("/account/erase", methods=("GET", "POST"))
@login_required
@limiter.limit("5 per hour", methods=["POST"], key_func=lambda: f"erase:{current_user.id}")
def erase():
    form = EraseForm()
    if form.validate_on_submit():
        try:
            erasure.erase_account(
                member(),
                password=form.password.data,
                choice=erasure.ErasureChoice(form.choice.data),
            )
        except DomainError as err:
            form.show(err)
        else:
            logout_user()
            flash("Your account and your personal data have been erased. Take care.")
            return redirect(url_for("home.index"))
    return render_template("accounts/erase.html", form=form)


@bp.get("/account/standing")
@login_required
def standing():
    """Every moderation decision about the member's own writing and account."""
    entries = moderation_log.log_entries(subject_user_id=current_user.id, limit=200)
    return render_template("accounts/standing.html", lines=moderation_log.for_member(entries))


@bp.get("/members/<pseudonym>")
def profile(pseudonym: str):
    member = accounts.find_member(pseudonym)
    if member is None or member.status is UserStatus.ERASED:
        raise NotFound("There is no member with that name.")
    before = Cursor.decode(request.args.get("before"))
    page = listings.by_author(member, before=before, limit=current_app.config["POSTS_PER_PAGE"])
    return render_template(
        "accounts/profile.html", member=member, page=page, first_page=before is None
    )
