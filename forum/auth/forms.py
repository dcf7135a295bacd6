"""Forms for logging in and out."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length

from forum.domain.services.accounts import SignUp
from forum.forms import AppForm


class LoginForm(AppForm):
    email = EmailField(
        "Email address",
        validators=[InputRequired("Enter your email address."), Length(max=254)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")


class SignUpForm(AppForm):
    pseudonym = StringField(
        "Pseudonym",
        validators=[InputRequired("Choose a pseudonym."), Length(max=80)],
        render_kw={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"},
    )
    accept_pseudonym_warning = BooleanField("Use this pseudonym anyway")
    email = EmailField(
        "Email address",
        validators=[
            InputRequired("Enter your email address."),
            Length(max=254),
            Email("Enter an email address like name@example.com.", check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Choose a password."), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )
    age_confirmed = BooleanField("I am 16 or older")
    health_consent = BooleanField(
        "I agree that Cohort may store the health information I choose to share here"
    )

    def to_draft(self) -> SignUp:
        return SignUp(
            pseudonym=self.pseudonym.data or "",
            email=self.email.data or "",
            password=self.password.data or "",
            age_confirmed=bool(self.age_confirmed.data),
            health_consent=bool(self.health_consent.data),
            accept_pseudonym_warning=bool(self.accept_pseudonym_warning.data),
        )


class EmailOnlyForm(AppForm):
    email = EmailField(
        "Email address",
        validators=[InputRequired("Enter your email address."), Length(max=254)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class NewPasswordForm(AppForm):
    password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a new password."), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )
