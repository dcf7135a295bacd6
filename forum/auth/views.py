"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forum.auth.forms import LoginForm
from forum.domain.services import accounts
from forum.errors import DomainError
from forum.extensions import limiter
from forum.forms import EmptyForm

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: never an open redirect to another host."""
    if not target:
        return None
    # Browsers read "\" as "/", so "/\\evil.test" would leave the site: refuse backslashes too.
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_account_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()


def _failed(response) -> bool:
    """Only failed attempts count towards the login limits."""
    return response.status_code != 302


@bp.route("/login", methods=("GET", "POST"))
@limiter.limit("10 per minute;60 per hour", methods=["POST"], deduct_when=_failed)
@limiter.limit(
    "5 per minute;20 per hour", methods=["POST"], key_func=_login_account_key, deduct_when=_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except DomainError as err:
            form.show(err)
        else:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.pseudonym}.")
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/signup", methods=("GET", "POST"))
def signup():
    abort(404)  # SCAFFOLD


@bp.route("/reset-password", methods=("GET", "POST"))
def reset_request():
    abort(404)  # SCAFFOLD


@bp.post("/logout")
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash("You have logged out.")
    return redirect(url_for("home.index"))
