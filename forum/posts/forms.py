"""Forms for writing: new stories and threads, edits, replies. They shape input only; the
rules (tags, limits, who may post) live in forum.domain.services.post_text, posts and drafts."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, Regexp, StopValidation

from forum.domain.models import Draft, ExperienceStatus, Post, PostKind
from forum.domain.models.post import (
    MAX_BODY_LENGTH,
    MAX_DURATION_LENGTH,
    MAX_REPLY_LENGTH,
    MAX_TITLE_LENGTH,
)
from forum.domain.services.drafts import MAX_TAG_NAMES_LENGTH
from forum.domain.services.listings import sorted_tags
from forum.domain.services.post_text import PostDraft, ReplyDraft
from forum.forms import NO_MAXLENGTH, AppForm, clean_text, split_tags, strip, too_long

KINDS = [
    SelectChoice("story", "A story: what happened to you with a medicine"),
    SelectChoice("thread", "A thread: a question or something to talk over"),
]
KIND_VALUES = {choice.value for choice in KINDS}
EXPERIENCE_CHOICES = [SelectChoice("", "I’d rather not say")] + [
    SelectChoice(status.value, status.label) for status in ExperienceStatus
]


class RequiredToPublish:
    """Required to publish or preview; a draft may be unfinished."""

    def __init__(self, message: str, *, for_preview: bool = False) -> None:
        self.message = message
        self.for_preview = for_preview

    def __call__(self, form, field) -> None:
        intent = getattr(form, "intent", "publish")
        if intent == "draft" or (intent == "preview" and not self.for_preview):
            return
        if not (field.data or "").strip():
            raise StopValidation(self.message)


class _PostFields(AppForm):
    """The fields a story or thread has, new or edited."""

    title = StringField(
        "Title",
        filters=[clean_text, strip],
        validators=[RequiredToPublish("Give it a title."), too_long("the title", MAX_TITLE_LENGTH)],
        render_kw=NO_MAXLENGTH,
    )
    body = TextAreaField(
        "Your words",
        filters=[clean_text],
        render_kw=NO_MAXLENGTH,
        validators=[
            RequiredToPublish("Write a few words before publishing."),
            too_long("the text", MAX_BODY_LENGTH),
        ],
    )
    tags = StringField(
        "Tags",
        filters=[clean_text],
        render_kw=NO_MAXLENGTH,
        validators=[
            RequiredToPublish("Add at least one drug or condition."),
            too_long("the tags", MAX_TAG_NAMES_LENGTH),
        ],
    )
    experience_duration = StringField(
        "How long have you been taking it?",
        filters=[clean_text, strip],
        validators=[Optional(), too_long("this", MAX_DURATION_LENGTH)],
        render_kw=NO_MAXLENGTH,
    )
    experience_status = RadioField(
        "Where are you with it now?", choices=EXPERIENCE_CHOICES, default=""
    )
    preview = SubmitField("Preview")
    send_anyway = BooleanField("Send it as it is: a moderator will read it before it appears")
    # Drugs the preview noticed in the text and the author ticked: added to the tags.
    add_tags = SelectMultipleField("Add these tags", choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ticked = [clean_text(name).strip() for name in self.add_tags.data or [] if name]
        if ticked:
            typed = split_tags(self.tags.data)
            have = {name.casefold() for name in typed}
            added = [name for name in dict.fromkeys(ticked) if name.casefold() not in have]
            self.tags.data = ", ".join(typed + added)
            self.add_tags.data = []

    @property
    def intent(self) -> str:
        """Which button was pressed: "preview", "draft" or "publish"."""
        if self.preview.data:
            return "preview"
        save_draft = getattr(self, "save_draft", None)
        return "draft" if save_draft is not None and save_draft.data else "publish"

    def _draft(self, kind: PostKind | None) -> PostDraft:
        status = self.experience_status.data
        return PostDraft(
            kind=kind,
            title=self.title.data or "",
            body=self.body.data or "",
            tag_names=split_tags(self.tags.data),
            experience_duration=self.experience_duration.data or None,
            experience_status=ExperienceStatus(status) if status else None,
            confirmed=bool(self.send_anyway.data),
        )

    def prefill(self, source: Post | Draft) -> None:
        """Fill the fields from a post being edited or a saved draft being continued."""
        self.title.data = source.title
        self.body.data = source.body
        if isinstance(source, Draft):
            self.tags.data = source.tag_names
        else:
            self.tags.data = ", ".join(tag.name for tag in sorted_tags(source.tags))
        self.experience_duration.data = source.experience_duration or ""
        self.experience_status.data = (
            source.experience_status.value if source.experience_status else ""
        )


class PostForm(_PostFields):
    """A new story or thread: publish, preview, or save as a draft."""

    kind = RadioField(
        "What are you writing?",
        choices=KINDS,
        validate_choice=False,
        validators=[RequiredToPublish("Choose a story or a thread.", for_preview=True)],
    )
    draft_id = HiddenField(validators=[Optional(), Regexp(r"^\d{1,12}$")])
    save_draft = SubmitField("Save draft")
    publish = SubmitField("Publish")

    def validate_kind(self, field) -> None:
        if field.data and field.data not in KIND_VALUES:
            raise StopValidation("Choose a story or a thread.")

    @property
    def saved_draft_id(self) -> int | None:
        return int(self.draft_id.data) if self.draft_id.data else None

    def to_draft(self) -> PostDraft:
        # An unfinished draft may not have a kind yet, and keeps it unchosen.
        kind = PostKind(self.kind.data) if self.kind.data in KIND_VALUES else None
        return self._draft(kind)

    def prefill(self, source: Post | Draft) -> None:
        super().prefill(source)
        self.kind.data = source.kind.value if source.kind else None
        self.draft_id.data = str(source.id) if isinstance(source, Draft) else ""


class AutosaveForm(PostForm):
    """The compose form as sent by the page's autosave (JSON): always a draft."""

    intent = "draft"  # CSRFProtect checks its X-CSRFToken header before the view runs


class PostEditForm(_PostFields):
    """Editing a published story or thread: the kind stays what it was."""

    save = SubmitField("Save changes")

    def to_draft(self, kind: PostKind) -> PostDraft:
        return self._draft(kind)


class ReplyForm(AppForm):
    body = TextAreaField(
        "Your reply",
        filters=[clean_text],
        render_kw=NO_MAXLENGTH,
        validators=[
            RequiredToPublish("Write something before posting."),
            too_long("your reply", MAX_REPLY_LENGTH),
        ],
    )

    send_anyway = BooleanField("Send it as it is: a moderator will read it before it appears")

    def to_draft(self) -> ReplyDraft:
        return ReplyDraft(body=self.body.data or "", confirmed=bool(self.send_anyway.data))
