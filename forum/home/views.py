"""The home page: what Cohort is, what to browse, the latest posts."""

from __future__ import annotations

from flask import Blueprint, render_template

from forum.domain.services import posts, tags

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template(
        "home/index.html",
        browse=tags.browse(limit_per_kind=12),
        latest=posts.latest(limit=10).items,
    )
