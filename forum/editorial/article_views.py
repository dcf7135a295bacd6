"""Editors writing articles: the list, the review list, the editor with its live preview,
revisions and the differences between them. Routes on the editors' blueprint (staff.py)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from forum.domain.services import article_history, editorial
from forum.domain.services import tags as tag_service
from forum.editorial.forms import ArticleForm
from forum.editorial.staff import bp, me
from forum.errors import DomainError
from forum.http import db_id

MAX_PREVIEW = 100_000  # characters; far longer than any article


@bp.get("")
def articles():
    return render_template(
        "editorial/articles.html", articles=editorial.all_articles(viewer=current_user)
    )


@bp.get("/review")
def needs_review():
    return render_template(
        "editorial/review.html", review=editorial.needs_review(viewer=current_user)
    )


def _form_page(form: ArticleForm, article, preview=None):
    form.add_blank_rows()
    return render_template(
        "editorial/article_form.html", form=form, article=article, preview=preview
    )


@bp.route("/articles/new", methods=("GET", "POST"))
def new_article():
    form, preview = ArticleForm(), None
    if not form.is_submitted():
        if request.args.get("kind") == "comparison":
            form.kind.data = "comparison"
        found = tag_service.resolve_slug(request.args.get("tag", ""))
        if found is not None:
            form.prefill_pin(found.tag)
    elif form.validate_on_submit():
        try:
            if form.intent == "preview":
                preview = editorial.preview_html(form.body.data, viewer=current_user)
            else:
                article = editorial.create_article(me(), form.to_draft())
                flash(f"“{article.title}” is saved as revision 1.")
                return redirect(url_for("editors.edit_article", article_id=article.id))
        except DomainError as err:
            form.show(err)
    return _form_page(form, None, preview)


@bp.route("/articles/<int:article_id>", methods=("GET", "POST"))
def edit_article(article_id: int):
    article = editorial.get_for_editing_or_404(article_id, viewer=current_user)
    form, preview = ArticleForm(), None
    if not form.is_submitted():
        form.prefill(article)
    elif form.validate_on_submit():
        try:
            if form.intent == "preview":
                preview = editorial.preview_html(form.body.data, viewer=current_user)
            else:
                editorial.edit_article(article, actor=me(), draft=form.to_draft())
                flash("Your changes are saved as a new revision.")
                return redirect(url_for("editors.edit_article", article_id=article.id))
        except DomainError as err:
            form.show(err)
    return _form_page(form, article, preview)


@bp.post("/preview")
def preview():
    """The editor's live preview: Markdown in (JSON `body`), the reader's HTML out."""
    data = request.get_json(silent=True)
    body = data.get("body") if isinstance(data, dict) else request.form.get("body")
    html = editorial.preview_html(str(body or "")[:MAX_PREVIEW], viewer=current_user)
    return jsonify(html=str(html))


@bp.get("/articles/<int:article_id>/history")
def history(article_id: int):
    article = editorial.get_for_editing_or_404(article_id, viewer=current_user)
    return render_template(
        "editorial/history.html",
        article=article,
        revisions=article_history.revisions(article, viewer=current_user),
    )


@bp.get("/articles/<int:article_id>/compare")
def compare(article_id: int):
    article = editorial.get_for_editing_or_404(article_id, viewer=current_user)
    older, newer = request.args.get("from", type=db_id), request.args.get("to", type=db_id)
    try:
        comparison = article_history.compare(article, older, newer, viewer=current_user)
    except DomainError as err:
        if err.status_code != 400:
            raise
        return render_template(
            "editorial/compare.html", article=article, comparison=None, message=err.message
        )
    return render_template("editorial/compare.html", article=article, comparison=comparison)
