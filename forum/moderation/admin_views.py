"""Admins' screens: the screening rules (and trying a text against them) and the site settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from forum.domain.services import (
    screening_rules,
    site_settings,
)
from forum.domain.services.screening import active_rules
from forum.errors import DomainError
from forum.forms import EmptyForm
from forum.moderation.forms import (
    RuleForm,
    TryTextForm,
)
from forum.moderation.staff import bp, me, require_admin


@bp.route("/rules", methods=("GET", "POST"))
def rules():
    require_admin()
    form = TryTextForm()
    result = None
    if form.validate_on_submit():
        result = screening_rules.try_rules(form.text.data, new_member=bool(form.new_member.data))
    return render_template(
        "moderation/rules.html",
        rules=screening_rules.all_rules(),
        form=form,
        result=result,
        active_count=len(active_rules()),
    )


@bp.route("/rules/new", methods=("GET", "POST"), defaults={"rule_id": None})
@bp.route("/rules/<int:rule_id>", methods=("GET", "POST"))
def rule(rule_id: int | None):
    require_admin()
    existing = screening_rules.find_rule(rule_id) if rule_id else None
    if rule_id and existing is None:
        abort(404)
    form = RuleForm(obj=existing) if request.method == "GET" and existing else RuleForm()
    if request.method == "GET" and existing:
        for name in ("category", "matcher", "action"):
            getattr(form, name).data = getattr(existing, name).value
    elif request.method == "GET":
        form.enabled.data = False  # a new rule starts switched off: try it first
    if form.validate_on_submit():
        try:
            saved = screening_rules.save_rule(form.to_draft(), actor=me(), rule=existing)
        except DomainError as err:
            form.show(err)
        else:
            flash(f"Rule {saved.code} saved.")
            return redirect(url_for("moderation.rules"))
    return render_template("moderation/rule_form.html", form=form, rule=existing)


@bp.route("/settings", methods=("GET", "POST"))
def settings():
    require_admin()
    errors: dict[str, str] = {}
    if request.method == "POST" and EmptyForm().validate_on_submit():
        errors = site_settings.change_settings(
            me(), request.form, reason=request.form.get("reason", "")
        )
        if not errors:
            flash("Settings saved.")
            return redirect(url_for("moderation.settings"))
    values = {
        key: request.form.get(key) or site_settings.setting(key) for key in site_settings.SETTINGS
    }
    return render_template(
        "moderation/settings.html", settings=site_settings.SETTINGS, values=values, errors=errors
    ), (400 if errors else 200)
