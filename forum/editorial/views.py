"""Editorial articles as readers see them."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from forum.domain.services import editorial

bp = Blueprint("editorial", __name__)


@bp.get("/articles/<slug>")
def article(slug: str):
    article = editorial.get_readable_or_404(slug, viewer=current_user)
    return render_template("editorial/article.html", article=article)
