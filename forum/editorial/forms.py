"""Forms for editors: articles (with their pins and sources as editable rows) and tags. They
shape input only; the rules live in forum.domain.services.editorial and curation."""

from __future__ import annotations

from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.domain.models import AliasKind, Article, ArticleKind, ArticleStatus, Tag, TagKind
from forum.domain.models.article import MAX_ARTICLE_TITLE_LENGTH, MAX_SUMMARY_LENGTH
from forum.domain.models.tag import MAX_DEFINITION_LENGTH, MAX_TAG_NAME_LENGTH
from forum.domain.services.curation import TagDraft
from forum.domain.services.editorial import (
    ArticleDraft,
    PinDraft,
    ReferenceDraft,
    default_review_due,
)
from forum.forms import NO_MAXLENGTH, AppForm, clean_text, split_tags, strip, too_long

BLANK_ROWS = 2  # empty rows under the filled ones, for adding pins and sources without JS


def _date(label: str) -> DateField:
    return DateField(
        label,
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )


class PinRow(Form):
    tag = StringField("Tag page", filters=[clean_text, strip], render_kw={"autocomplete": "off"})
    position = IntegerField(
        "Order",
        validators=[Optional(), NumberRange(0, 999, "Use a number from 0 to 999.")],
        render_kw={"inputmode": "numeric"},
    )


class ReferenceRow(Form):
    title = StringField("Title", filters=[clean_text, strip], validators=[Length(max=300)])
    publisher = StringField("Publisher", filters=[clean_text, strip], validators=[Length(max=200)])
    url = StringField(
        "Web address",
        filters=[strip],
        validators=[Length(max=1000)],
        render_kw={"inputmode": "url", "spellcheck": "false"},
    )


class ArticleForm(AppForm):
    title = StringField(
        "Title",
        filters=[clean_text, strip],
        validators=[too_long("the title", MAX_ARTICLE_TITLE_LENGTH)],
        render_kw=NO_MAXLENGTH,
    )
    slug = StringField(
        "Address",
        filters=[strip],
        validators=[Length(max=120)],
        render_kw={"spellcheck": "false", "autocapitalize": "none"},
    )
    kind = RadioField(
        "Kind",
        choices=[
            SelectChoice("overview", "Overview: about one drug, condition or topic"),
            SelectChoice("comparison", "Comparison: several drugs side by side"),
        ],
        default="overview",
    )
    status = RadioField(
        "Status",
        choices=[
            SelectChoice("draft", "Draft: only editors can see it"),
            SelectChoice("published", "Published: everyone can read it"),
        ],
        default="draft",
    )
    summary = TextAreaField(
        "Summary",
        filters=[clean_text],
        validators=[too_long("the summary", MAX_SUMMARY_LENGTH)],
        render_kw={"rows": 3, **NO_MAXLENGTH},
    )
    body = TextAreaField("Text", filters=[clean_text], render_kw={"rows": 24, **NO_MAXLENGTH})
    reviewer_name = StringField(
        "Clinical reviewer", filters=[clean_text, strip], validators=[Length(max=120)]
    )
    reviewer_credentials = StringField(
        "Their credentials", filters=[clean_text, strip], validators=[Length(max=160)]
    )
    last_reviewed_on = _date("Last reviewed on")
    review_due_on = _date("Review due on")
    pins = FieldList(FormField(PinRow), min_entries=1)
    references = FieldList(FormField(ReferenceRow), min_entries=1)
    note = StringField(
        "What you changed", filters=[clean_text, strip], validators=[Length(max=300)]
    )
    preview = SubmitField("Preview")
    save = SubmitField("Save")

    ROWS = ("pins", "references")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.row_errors: dict[str, list[str]] = {}

    @property
    def intent(self) -> str:
        return "preview" if self.preview.data else "save"

    def show(self, err) -> None:
        """Problems with pins or sources go above their rows (a FieldList has no own errors)."""
        if err.field in self.ROWS and not getattr(err, "problems", None):
            self.row_errors.setdefault(err.field, []).append(err.message)
            return
        super().show(err)

    @property
    def all_errors(self) -> list[tuple[str | None, str]]:
        found = [(None, message) for message in self.form_errors_extra]
        for field in self:
            if field.name in self.ROWS:
                found += [(field.name, message) for message in self.row_errors.get(field.name, [])]
                found += [
                    (sub.id, message) for row in field for sub in row.form for message in sub.errors
                ]
            else:
                found += [(field.id, message) for message in field.errors or ()]
        return found

    def add_blank_rows(self) -> None:
        for rows in (self.pins, self.references):
            while sum(1 for row in rows if not any((row.data or {}).values())) < BLANK_ROWS:
                rows.append_entry()

    def prefill(self, article: Article) -> None:
        for name in ("title", "slug", "summary", "reviewer_name", "reviewer_credentials"):
            getattr(self, name).data = getattr(article, name)
        self.body.data = article.body
        self.kind.data, self.status.data = article.kind.value, article.status.value
        self.last_reviewed_on.data = article.last_reviewed_on
        # Empty when it is the default, so a new review date moves it along.
        default = default_review_due(article.last_reviewed_on)
        self.review_due_on.data = (
            None if article.review_due_on == default else article.review_due_on
        )
        self.pins.entries, self.references.entries = [], []
        self.pins.last_index = self.references.last_index = -1
        for pin in sorted(article.pins, key=lambda p: p.position):
            self.pins.append_entry({"tag": pin.tag.name, "position": pin.position})
        for ref in article.references:
            self.references.append_entry(
                {"title": ref.title, "publisher": ref.publisher, "url": ref.url}
            )

    def prefill_pin(self, tag: Tag) -> None:
        """A new article started from a tag's page is pinned there."""
        self.pins.entries, self.pins.last_index = [], -1
        self.pins.append_entry({"tag": tag.name, "position": None})

    def to_draft(self) -> ArticleDraft:
        kind = self.kind.data if self.kind.data in ("overview", "comparison") else "overview"
        status = self.status.data if self.status.data in ("draft", "published") else "draft"
        return ArticleDraft(
            title=self.title.data or "",
            body=self.body.data or "",
            kind=ArticleKind(kind),
            status=ArticleStatus(status),
            summary=self.summary.data or "",
            reviewer_name=self.reviewer_name.data or "",
            reviewer_credentials=self.reviewer_credentials.data or "",
            last_reviewed_on=self.last_reviewed_on.data,
            review_due_on=self.review_due_on.data,
            references=[
                ReferenceDraft(r.title.data or "", r.publisher.data or "", r.url.data or "")
                for r in (row.form for row in self.references)
                if r.title.data or r.publisher.data or r.url.data
            ],
            pins=[
                PinDraft(p.tag.data, p.position.data)
                for p in (row.form for row in self.pins)
                if p.tag.data
            ],
            slug=self.slug.data or "",
            note=self.note.data or "",
        )


class PreviewForm(AppForm):
    """The live preview's request (JSON): just the text."""

    body = TextAreaField(filters=[clean_text])


TAG_KINDS = [SelectChoice(kind.value, kind.label) for kind in TagKind]
ALIAS_KINDS = [
    SelectChoice("brand", "Brand name"),
    SelectChoice("other", "Other name (UK/US name, short form)"),
    SelectChoice("misspelling", "Common misspelling (not shown to readers)"),
]


class TagForm(AppForm):
    kind = RadioField("Kind", choices=TAG_KINDS, default="drug")
    name = StringField(
        "Name",
        filters=[clean_text, strip],
        validators=[
            InputRequired("Give it a name."),
            Length(max=MAX_TAG_NAME_LENGTH, message="Keep names under 80 characters."),
        ],
        render_kw={"autocomplete": "off"},
    )
    definition = TextAreaField(
        "One-sentence definition",
        filters=[clean_text, strip],
        validators=[too_long("the definition", MAX_DEFINITION_LENGTH)],
        render_kw={"rows": 3, "class": "short-text", **NO_MAXLENGTH},
    )
    description = TextAreaField(
        "Description", filters=[clean_text], render_kw={"rows": 8, **NO_MAXLENGTH}
    )
    old_name_kind = SelectField(
        "If you rename it, keep the old name as",
        choices=[
            SelectChoice("former", "Former name (not shown)"),
            SelectChoice("other", "Other name (shown)"),
            SelectChoice("brand", "Brand name (shown)"),
        ],
        default="former",
    )

    def prefill(self, tag: Tag) -> None:
        self.kind.data, self.name.data = tag.kind.value, tag.name
        self.definition.data, self.description.data = tag.definition, tag.description

    def to_draft(self) -> TagDraft:
        kind = self.kind.data if self.kind.data in {k.value for k in TagKind} else "drug"
        return TagDraft(
            kind=TagKind(kind),
            name=self.name.data or "",
            definition=self.definition.data or "",
            description=(self.description.data or "").strip(),
        )

    @property
    def old_name_alias_kind(self) -> AliasKind:
        value = self.old_name_kind.data
        return AliasKind(value) if value in ("former", "other", "brand") else AliasKind.FORMER


class AliasForm(AppForm):
    name = StringField(
        "Another name",
        filters=[clean_text, strip],
        validators=[InputRequired("Type the other name."), Length(max=MAX_TAG_NAME_LENGTH)],
        render_kw={"autocomplete": "off"},
    )
    kind = SelectField("What kind of name", choices=ALIAS_KINDS, default="brand")

    @property
    def alias_kind(self) -> AliasKind:
        value = self.kind.data
        return AliasKind(value) if value in ("brand", "other", "misspelling") else AliasKind.OTHER


class RelationForm(AppForm):
    kind = SelectField(
        "Relation",
        choices=[
            SelectChoice("used_for", "is used for (a condition)"),
            SelectChoice("treated_with", "is treated with (a drug)"),
            SelectChoice("alternative_to", "is an alternative to (a drug)"),
            SelectChoice("interacts_with", "interacts with (a drug)"),
        ],
    )
    other = StringField(
        "Which tag",
        filters=[clean_text, strip],
        validators=[InputRequired("Type the name of the other tag.")],
        render_kw={"autocomplete": "off"},
    )


class MergeForm(AppForm):
    into = StringField(
        "Merge into",
        filters=[clean_text, strip],
        validators=[InputRequired("Type the name of the tag to keep.")],
        render_kw={"autocomplete": "off"},
    )
    reason = StringField(
        "Why (for the log)", filters=[clean_text, strip], validators=[Length(max=300)]
    )


class AmbiguousNameForm(AppForm):
    name = StringField(
        "Name",
        filters=[clean_text, strip],
        validators=[InputRequired("Type the name."), Length(max=MAX_TAG_NAME_LENGTH)],
        render_kw={"autocomplete": "off"},
    )
    candidates = StringField(
        "Drugs it can mean",
        filters=[clean_text],
        validators=[InputRequired("Name at least one drug.")],
        render_kw={"autocomplete": "off"},
    )
    note = StringField("What it can mean, in plain words", validators=[Length(max=300)])

    @property
    def candidate_names(self) -> list[str]:
        return split_tags(self.candidates.data)
