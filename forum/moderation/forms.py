"""Forms for moderators and admins."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.domain.models import FlagReason, RuleAction, RuleCategory, RuleMatcher, UserRole
from forum.domain.services.review_queue import REJECTION_TEMPLATES
from forum.domain.services.screening_rules import RuleDraft
from forum.forms import AppForm


class ReasonForm(AppForm):
    reason = TextAreaField(
        "Reason (the author sees this)",
        validators=[Length(max=1000)],
        render_kw={"rows": 2},
    )


class RejectForm(AppForm):
    template = SelectField(
        "Reason",
        choices=[SelectChoice("", "Choose a reason, or write one below")]
        + [SelectChoice(t, t) for t in REJECTION_TEMPLATES],
        validators=[Optional()],
    )
    reason = TextAreaField(
        "In your own words (added to the reason above)",
        validators=[Length(max=1000)],
        render_kw={"rows": 2},
    )

    def full_reason(self) -> str:
        return " ".join(
            p for p in (self.template.data or "", (self.reason.data or "").strip()) if p
        )


class EditApproveForm(AppForm):
    title = StringField("Title", validators=[Optional(), Length(max=150)])
    body = TextAreaField(
        "Text", validators=[InputRequired("The text can’t be empty.")], render_kw={"rows": 12}
    )
    reason = TextAreaField(
        "What you changed and why (the author sees this)",
        validators=[Length(max=1000)],
        render_kw={"rows": 2},
    )


class SuspendForm(AppForm):
    days = IntegerField(
        "Days", validators=[InputRequired("How many days?"), NumberRange(1, 365)], default=7
    )
    reason = TextAreaField(
        "Reason (the member sees this)", validators=[Length(max=1000)], render_kw={"rows": 2}
    )


class RoleForm(AppForm):
    role = SelectField(
        "Role", choices=[SelectChoice(r.value, r.value.capitalize()) for r in UserRole]
    )
    reason = StringField("Reason", validators=[Length(max=300)])


class RetagForm(AppForm):
    tags = StringField(
        "Tags, separated by commas", validators=[InputRequired("Give at least one tag.")]
    )
    reason = TextAreaField(
        "Reason (the author sees this)", validators=[Length(max=1000)], render_kw={"rows": 2}
    )


class PinForm(AppForm):
    tag = SelectField("Tag page", choices=[])
    reason = StringField("Reason", validators=[Length(max=300)])


class FlagForm(AppForm):
    reason = RadioField(
        "What is wrong?",
        choices=[SelectChoice(r.value, r.label) for r in FlagReason],
        validators=[InputRequired("Choose what is wrong.")],
    )
    details = TextAreaField(
        "Anything a moderator should know (optional)",
        validators=[Length(max=500)],
        render_kw={"rows": 3},
    )


class RuleForm(AppForm):
    code = StringField(
        "Code", validators=[InputRequired("Give the rule a short code."), Length(max=60)]
    )
    category = SelectField(
        "Category", choices=[SelectChoice(c.value, c.label) for c in RuleCategory]
    )
    matcher = SelectField(
        "How it matches",
        choices=[
            SelectChoice(RuleMatcher.REGEX.value, "Regular expression over the text"),
            SelectChoice(RuleMatcher.PHONE.value, "Phone numbers (pattern: regions, e.g. US,GB)"),
            SelectChoice(
                RuleMatcher.LINK_DOMAIN.value, "Regular expression over each link’s domain"
            ),
            SelectChoice(RuleMatcher.ANY_LINK.value, "Any link"),
        ],
    )
    pattern = TextAreaField(
        "Pattern", validators=[Length(max=4000)], render_kw={"rows": 4, "spellcheck": "false"}
    )
    exceptions = TextAreaField(
        "Exceptions (ignore a match when its sentence, or its link’s domain, matches this)",
        validators=[Length(max=4000)],
        render_kw={"rows": 2, "spellcheck": "false"},
    )
    action = SelectField(
        "Action",
        choices=[
            SelectChoice(RuleAction.HOLD.value, "Hold for review"),
            SelectChoice(
                RuleAction.HOLD_URGENT.value, "Hold, urgent: top of the queue, moderators told"
            ),
            SelectChoice(
                RuleAction.WARN_THEN_HOLD.value,
                "Show the author first; hold if they send it anyway",
            ),
        ],
    )
    new_members_only = BooleanField("Only for new members")
    enabled = BooleanField("Switched on")
    reason = StringField(
        "Reason shown to moderators",
        validators=[InputRequired("Say why it holds."), Length(max=300)],
    )
    message = TextAreaField(
        "Message shown to the author",
        validators=[InputRequired("Write what the author sees."), Length(max=500)],
        render_kw={"rows": 2},
    )

    def to_draft(self) -> RuleDraft:
        return RuleDraft(
            code=self.code.data.strip(),
            category=RuleCategory(self.category.data),
            matcher=RuleMatcher(self.matcher.data),
            pattern=self.pattern.data or "",
            exceptions=self.exceptions.data or "",
            action=RuleAction(self.action.data),
            new_members_only=bool(self.new_members_only.data),
            enabled=bool(self.enabled.data),
            reason=self.reason.data,
            message=self.message.data,
        )


class TryTextForm(AppForm):
    text = TextAreaField(
        "Try a text",
        validators=[InputRequired("Paste a text to try."), Length(max=20000)],
        render_kw={"rows": 5},
    )
    new_member = BooleanField("As if a new member wrote it")
