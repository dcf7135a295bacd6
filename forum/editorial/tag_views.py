"""Editors curating drugs, conditions and topics: creating, editing and renaming tags, their
other names, relations, merges (and undoing them), and names that mean several drugs. Routes on
the editors' blueprint (staff.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from forum.domain.services import alias_table, curation, editorial, merging, tag_desk
from forum.editorial.forms import (
    AliasForm,
    AmbiguousNameForm,
    MergeForm,
    RelationForm,
    TagForm,
)
from forum.editorial.staff import bp, me
from forum.errors import DomainError
from forum.forms import EmptyForm
from forum.http import db_id


def _to_tag(tag_id: int):
    return redirect(url_for("editors.edit_tag", tag_id=tag_id))


@bp.get("/tags")
def tags():
    grouped, merged = curation.all_tags()
    return render_template("editorial/tags.html", grouped=grouped, merged=merged)


@bp.route("/tags/new", methods=("GET", "POST"))
def new_tag():
    form = TagForm()
    if form.validate_on_submit():
        try:
            tag = curation.create_tag(me(), form.to_draft())
        except DomainError as err:
            form.show(err)
        else:
            flash(f"{tag.name} is added. Add its other names and relations below.")
            return _to_tag(tag.id)
    return render_template("editorial/tag_new.html", form=form)


def _tag_page(tag, *, form=None, alias_form=None, relation_form=None, merge_form=None):
    if form is None:
        form = TagForm()
        form.prefill(tag)
    return render_template(
        "editorial/tag_edit.html",
        desk=tag_desk.desk(tag),
        overview=editorial.overview_of(tag),
        form=form,
        alias_form=alias_form or AliasForm(formdata=None, prefix="alias"),
        relation_form=relation_form or RelationForm(formdata=None, prefix="relation"),
        merge_form=merge_form or MergeForm(formdata=None, prefix="merge"),
    )


@bp.route("/tags/<int:tag_id>", methods=("GET", "POST"))
def edit_tag(tag_id: int):
    tag = curation.get_tag_or_404(tag_id)
    if request.method == "GET":
        return _tag_page(tag)
    form = TagForm()
    if form.validate_on_submit():
        try:
            curation.edit_tag(
                tag, actor=me(), draft=form.to_draft(), old_name_kind=form.old_name_alias_kind
            )
        except DomainError as err:
            form.show(err)
        else:
            flash(f"{tag.name} is saved.")
            return _to_tag(tag.id)
    return _tag_page(tag, form=form)


@bp.post("/tags/<int:tag_id>/aliases")
def add_alias(tag_id: int):
    tag = curation.get_tag_or_404(tag_id)
    form = AliasForm(prefix="alias")
    if form.validate_on_submit():
        try:
            alias = curation.add_alias(tag, actor=me(), name=form.name.data, kind=form.alias_kind)
        except DomainError as err:
            form.show(err)
        else:
            flash(f"“{alias.name}” now leads to {tag.name}.")
            return _to_tag(tag.id)
    return _tag_page(tag, alias_form=form)


@bp.post("/aliases/<int:alias_id>/remove")
def remove_alias(alias_id: int):
    alias = curation.get_alias_or_404(alias_id)
    name, tag_id = alias.name, alias.tag_id
    if EmptyForm().validate_on_submit():
        tag = curation.remove_alias(alias, actor=me())
        flash(f"“{name}” no longer leads to {tag.name}.")
    return _to_tag(tag_id)


@bp.post("/tags/<int:tag_id>/relations")
def add_relation(tag_id: int):
    tag = curation.get_tag_or_404(tag_id)
    form = RelationForm(prefix="relation")
    if form.validate_on_submit():
        try:
            curation.add_relation(
                tag, actor=me(), choice=form.kind.data, other_name=form.other.data
            )
        except DomainError as err:
            form.show(err)
        else:
            flash("The relation is added. Both tag pages show it now.")
            return _to_tag(tag.id)
    return _tag_page(tag, relation_form=form)


@bp.post("/relations/<int:relation_id>/remove")
def remove_relation(relation_id: int):
    relation = curation.get_relation_or_404(relation_id)
    back = request.form.get("back", type=db_id) or relation.subject_id
    if EmptyForm().validate_on_submit():
        curation.remove_relation(relation, actor=me())
        flash("The relation is removed.")
    return _to_tag(back)


@bp.post("/tags/<int:tag_id>/merge")
def merge_tag(tag_id: int):
    tag = curation.get_tag_or_404(tag_id)
    form = MergeForm(prefix="merge")
    if form.validate_on_submit():
        try:
            entry = merging.merge_into(tag, form.into.data, actor=me(), reason=form.reason.data)
        except DomainError as err:
            form.show(err)
        else:
            flash(
                f"{tag.name} is merged: its posts, followers, pins and names now belong to the "
                "tag below. You can undo the merge from this page."
            )
            return _to_tag(entry.tag_id)
    return _tag_page(tag, merge_form=form)


@bp.post("/merges/<int:action_id>/undo")
def undo_merge(action_id: int):
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("editors.tags"))
    restored = merging.undo_merge(action_id, actor=me())
    flash(f"The merge is undone: {restored.name} has its own page, posts and followers again.")
    return _to_tag(restored.id)


@bp.route("/ambiguous-names", methods=("GET", "POST"))
def ambiguous_names():
    form = AmbiguousNameForm()
    if form.validate_on_submit():
        try:
            found = alias_table.add_ambiguous_name(
                actor=me(),
                name=form.name.data,
                candidate_names=form.candidate_names,
                note=form.note.data or "",
            )
        except DomainError as err:
            form.show(err)
        else:
            flash(f"Posts that use “{found.name}” will ask which drug the author meant.")
            return redirect(url_for("editors.ambiguous_names"))
    return render_template(
        "editorial/ambiguous.html",
        names=alias_table.ambiguous_names(),
        form=form,
    )


@bp.post("/ambiguous-names/<int:ambiguous_id>/remove")
def remove_ambiguous_name(ambiguous_id: int):
    if EmptyForm().validate_on_submit():
        alias_table.remove_ambiguous_name(ambiguous_id, actor=me())
        flash("The name is removed from the list.")
    return redirect(url_for("editors.ambiguous_names"))
