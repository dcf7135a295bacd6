"""/search: full-text search with tag, kind and date filters."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from forum.domain.services import search, tags
from forum.extensions import limiter

bp = Blueprint("search", __name__)


def _date(name: str, problems: list[str]) -> date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(f"“{raw[:20]}” isn’t a date we understand, so it was left out.")
        return None


@bp.get("/search")
@limiter.limit("60 per minute")
def index():
    query = request.args.get("q", "")
    problems: list[str] = []
    tag = None
    if slug := (request.args.get("tag") or "").strip():
        found = tags.resolve_slug(slug)
        tag = found.tag if found else None
        if tag is None:
            problems.append("We don’t know that tag, so the search covers every tag.")
    filters = search.Filters(
        tag=tag,
        kind=search.kind_of(request.args.get("kind")),
        since=_date("from", problems),
        until=_date("to", problems),
    )
    page = max(1, request.args.get("page", default=1, type=int) or 1)
    results = search.search(query, filters=filters, page=page - 1) if query.strip() else None
    return render_template(
        "search/index.html",
        query=query,
        filters=filters,
        results=results,
        problems=problems,
        directory=tags.browse(limit_per_kind=500),
    )
