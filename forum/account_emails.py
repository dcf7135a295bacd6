"""The emails the account flows send. Their links come from forum.mail.external_url, so they
lead to SITE_URL whatever Host header the request carried."""

from __future__ import annotations

from forum import mail
from forum.domain.models import User
from forum.domain.services import accounts, credentials


def send_verification(user: User) -> None:
    link = mail.external_url("auth.verify", token=accounts.verification_token(user))
    mail.send(
        user.email,
        "Confirm your email address for Cohort",
        "verify_email",
        user=user,
        link=link,
        hours=credentials.VERIFY_MAX_AGE // 3600,
        reset=mail.external_url("auth.reset_request"),
    )


def send_already_registered(user: User) -> None:
    """Someone signed up with an address that has an account: tell its owner, not the page.

    Only the account's own address counts: a member's pending (unconfirmed) move to an address
    reserves nothing, so they are never told of sign-ups with it."""
    mail.send(
        user.email,
        "Someone tried to sign up to Cohort with your email address",
        "already_registered",
        user=user,
        login=mail.external_url("auth.login"),
        reset=mail.external_url("auth.reset_request"),
    )


def send_reset(user: User) -> None:
    link = mail.external_url("auth.reset_password", token=accounts.reset_token(user))
    mail.send(
        user.email,
        "Reset your Cohort password",
        "reset_password",
        user=user,
        link=link,
        minutes=credentials.RESET_MAX_AGE // 60,
    )


def send_email_change(user: User, token: str, old_email: str) -> None:
    link = mail.external_url("auth.verify", token=token)
    mail.queue(
        user.pending_email,
        "Confirm your new email address for Cohort",
        "verify_new_email",
        user=user,
        link=link,
        hours=credentials.VERIFY_MAX_AGE // 3600,
    )
    mail.send(
        old_email,
        "Your Cohort email address is being changed",
        "email_change_notice",
        user=user,
        new_email=user.pending_email,
    )


def send_password_changed(user: User) -> None:
    mail.send(
        user.email,
        "Your Cohort password was changed",
        "password_changed",
        user=user,
        reset=mail.external_url("auth.reset_request"),
    )
