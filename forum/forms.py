"""What every form shares: a domain error lands on the field it names, or on the form; and the
small input-shaping helpers (clean text, tag lists, length messages) the writing forms use."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import Length

from forum.errors import DomainError
from forum.text import strip_controls


class AppForm(FlaskForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form_errors_extra: list[str] = []
        # Personal information screening found (holds.NeedsConfirmation): shown to the
        # author with a "send it anyway" choice before anything is sent.
        self.pii_findings: tuple = ()

    def show(self, err: DomainError) -> None:
        """Put a service's message where the person will look for it."""
        if findings := getattr(err, "findings", None):
            self.pii_findings = findings
            return
        for problem in getattr(err, "problems", ()):
            self.show(problem)
        if getattr(err, "problems", None):
            return
        field = getattr(self, err.field, None) if err.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, err.message]
        else:
            self.form_errors_extra.append(err.message)

    def show_also(self, problems: list[DomainError]) -> None:
        """What a service finds although the form's own checks stopped the request, so every
        problem shows at once; a field that already says what is wrong keeps its one message
        (an empty password is "Choose a password", not also "too short")."""
        for problem in problems:
            field = getattr(self, problem.field, None) if problem.field else None
            if not getattr(field, "errors", None):
                self.show(problem)

    @property
    def all_errors(self) -> list[tuple[str | None, str]]:
        """(field id or None, message) for the summary at the top of the form."""
        found = [(None, message) for message in self.form_errors_extra]
        for field in self:
            for message in field.errors or ():
                found.append((field.id, message))
        return found


class EmptyForm(AppForm):
    """For buttons that change state: just the CSRF token."""


def clean_text(value):
    """Text as typed, minus what no database or feed stores (control characters, lone
    surrogates); one kind of newline."""
    if not isinstance(value, str):
        return value
    value = strip_controls(value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.encode("utf-8", "replace").decode("utf-8")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def split_tags(typed: str | None) -> list[str]:
    """'Imuran, Crohn's disease,' -> ['Imuran', "Crohn's disease"]."""
    return [name.strip() for name in (typed or "").split(",") if name.strip()]


# No maxlength attribute: a browser would silently cut a long paste. The message says instead.
NO_MAXLENGTH = {"maxlength": False}


def too_long(what: str, limit: int) -> Length:
    return Length(
        max=limit,
        message=f"Please keep {what} under {limit:,} characters; it has %(length)d now.",
    )
