"""The home page: what Cohort is, what to browse, the latest posts."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from forum.domain.services import listings, tags
from forum.domain.services.listings import Cursor

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template(
        "home/index.html",
        browse=tags.browse(limit_per_kind=12),
        latest=listings.latest(limit=10),
    )


@bp.get("/latest")
def latest():
    """Everything published, newest first, a page at a time (the home page shows the first ten)."""
    before = Cursor.decode(request.args.get("before"))
    page = listings.latest(before=before, limit=current_app.config["POSTS_PER_PAGE"])
    return render_template("home/latest.html", page=page, first_page=before is None)


@bp.get("/guidelines")
def guidelines():
    return render_template("home/guidelines.html")


@bp.get("/privacy")
def privacy():
    return render_template("home/privacy.html")
