"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from forum import account_emails as emails
from forum.auth import limits
from forum.auth.forms import EmailOnlyForm, LoginForm, NewPasswordForm, SignUpForm
from forum.domain.services import accounts
from forum.domain.services.accounts import Confirmation
from forum.errors import DomainError, NotAllowed
from forum.extensions import limiter
from forum.forms import EmptyForm
from forum.login import stay_logged_in

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


@bp.route("/login", methods=("GET", "POST"))
@limiter.limit(limits.ADDRESS_FAILURES, methods=["POST"], deduct_when=limits.failed)
@limiter.limit(
    limits.ACCOUNT_FAILURES_FROM_ONE_ADDRESS,
    methods=["POST"],
    key_func=limits.account_from_here_key,
    deduct_when=limits.failed,
)
@limiter.limit(
    limits.ACCOUNT_FAILURES_FROM_EVERYWHERE,
    methods=["POST"],
    key_func=limits.account_key,
    deduct_when=limits.failed,
    exempt_when=limits.is_known_device,
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
            greeting = "Welcome back" if user.is_verified else "Welcome"  # a newcomer isn't back
            flash(f"{greeting}, {user.pseudonym}.")
            target = safe_next(request.args.get("next")) or url_for("home.index")
            return limits.remember_device(redirect(target), user.email)
    return render_template("auth/login.html", form=form)


@bp.route("/signup", methods=("GET", "POST"))
@limiter.limit(
    "5 per hour;20 per day", methods=["POST"], deduct_when=lambda r: r.status_code == 302
)
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignUpForm()
    warning = None
    if form.validate_on_submit():
        try:
            result = accounts.sign_up(form.to_draft())
        except accounts.PseudonymWarning as err:
            warning = err.message
        except DomainError as err:
            form.show(err)
        else:
            # The same next page either way, and nobody is logged in yet: being logged in here
            # would tell a stranger that the address was new. They log in to confirm it.
            if result.user is not None:
                emails.send_verification(result.user)
            else:
                emails.send_already_registered(result.existing)
            session["signup_email"] = form.email.data.strip().lower()
            return redirect(url_for("auth.check_email"))
    elif form.is_submitted():  # the email's shape stopped it: say what else is wrong, too
        form.show_also(accounts.sign_up_problems(form.to_draft()))
    return render_template("auth/signup.html", form=form, warning=warning)


@bp.get("/signup/check-email")
def check_email():
    return render_template("auth/check_email.html", email=session.get("signup_email"))


@bp.get("/verify/<token>")
def verify(token: str):
    """The link proves the address; logging in proves the person. Never a login link itself."""
    try:
        if not current_user.is_authenticated:
            accounts.read_verification_link(token)  # a dead link says so before asking to log in
            flash("Log in to confirm your email address.")
            return redirect(url_for("auth.login", next=request.path))
        confirmation = accounts.verify_email(token, viewer=current_user._get_current_object())
    except NotAllowed as err:
        page = render_template(
            "auth/wrong_account.html", message=err.message, logout_form=EmptyForm()
        )
        return page, 403
    except DomainError as err:
        return render_template("auth/link_problem.html", message=err.message), 400
    if confirmation is Confirmation.ALREADY:
        flash("Your email address is already confirmed.")
        return redirect(url_for("accounts.settings"))
    stay_logged_in(current_user._get_current_object())  # other sessions ended; this one stays
    if confirmation is Confirmation.CHANGED:
        flash(f"Your email address is now {current_user.email}.")
        return redirect(url_for("accounts.settings"))
    flash("Thank you: your email address is confirmed. You can write now.")
    return redirect(url_for("posts.new"))


@bp.post("/verify/resend")
@login_required
@limiter.limit("3 per hour", key_func=lambda: f"resend:{current_user.id}")
def resend_verification():
    form = EmptyForm()
    if form.validate_on_submit() and not current_user.is_verified:
        emails.send_verification(current_user._get_current_object())
        flash(f"We sent a new link to {current_user.email}.")
    return redirect(url_for("accounts.settings"))


def _reset_email_key() -> str:
    return "reset:" + request.form.get("email", "").strip().lower()


@bp.route("/reset-password", methods=("GET", "POST"))
@limiter.limit("5 per hour", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_reset_email_key)
def reset_request():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        user = accounts.find_for_reset(form.email.data)
        if user is not None:
            emails.send_reset(user)
        # The same answer either way: this page never says whether an address has an account.
        return render_template("auth/reset_sent.html", email=form.email.data.strip())
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset-password/<token>", methods=("GET", "POST"))
@limiter.limit("10 per hour", methods=["POST"])
def reset_password(token: str):
    try:
        user = accounts.user_for_reset_token(token)
    except DomainError as err:
        return render_template("auth/link_problem.html", message=err.message, reset=True), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(token, form.password.data)
        except DomainError as err:
            form.show(err)
        else:
            emails.send_password_changed(user)
            logout_user()
            flash("Your password is changed. Please log in with it; other devices were logged out.")
            # Reading the email proved it is theirs: this browser is a known device from now on.
            return limits.remember_device(redirect(url_for("auth.login")), user.email)
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.post("/logout")
@login_required
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash("You have logged out.")
    return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
