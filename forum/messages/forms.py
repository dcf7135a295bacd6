"""Forms for private conversations: a moderator's first message, a reply, a member's appeal."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from forum.domain.models import ConversationKind
from forum.domain.models.conversation import MAX_SUBJECT_LENGTH
from forum.domain.services.conversations import MAX_MESSAGE_LENGTH
from forum.forms import AppForm

_BODY = {"rows": 10}


class NewConversationForm(AppForm):
    kind = SelectField(
        "What it is",
        choices=[
            SelectChoice(k.value, k.label)
            for k in (ConversationKind.CARE, ConversationKind.GENERAL)
        ],
        default=ConversationKind.CARE.value,
    )
    subject = StringField(
        "Subject (the member sees it in their list and in the notice)",
        validators=[
            InputRequired("Give the conversation a subject."),
            Length(max=MAX_SUBJECT_LENGTH),
        ],
    )
    body = TextAreaField(
        "Your message",
        validators=[
            InputRequired("Write a message before sending."),
            Length(max=MAX_MESSAGE_LENGTH),
        ],
        render_kw=_BODY,
    )


class MessageForm(AppForm):
    body = TextAreaField(
        "Your reply",
        validators=[InputRequired("Write a reply before sending."), Length(max=MAX_MESSAGE_LENGTH)],
        render_kw={"rows": 6},
    )


class AppealForm(AppForm):
    body = TextAreaField(
        "Why should the moderators look at this again?",
        validators=[
            InputRequired("Tell the moderators why, in a sentence or two."),
            Length(max=MAX_MESSAGE_LENGTH),
        ],
        render_kw=_BODY,
    )
