"""Forms for account settings."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length

from forum.domain.services.erasure import ErasureChoice
from forum.forms import AppForm


class ChangePasswordForm(AppForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a new password."), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )


class ChangeEmailForm(AppForm):
    new_email = EmailField(
        "New email address",
        validators=[
            InputRequired("Enter the new address."),
            Length(max=254),
            Email("Enter an email address like name@example.com.", check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password to confirm."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class EraseForm(AppForm):
    choice = RadioField(
        "What should happen to what you wrote?",
        choices=[
            SelectChoice(
                ErasureChoice.KEEP_ANONYMOUSLY.value,
                "Keep my stories, threads and replies, shown as written by “a former member”",
            ),
            SelectChoice(
                ErasureChoice.DELETE_POSTS.value, "Delete my stories, threads and replies too"
            ),
        ],
        validators=[InputRequired("Choose what should happen to what you wrote.")],
    )
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password to confirm."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
