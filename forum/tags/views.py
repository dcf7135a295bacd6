"""The tag directory and the canonical tag page."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from forum.domain.models import FollowMode
from forum.domain.services import editorial, follows, listings, tags
from forum.domain.services import mentions as drug_mentions
from forum.domain.services.listings import Cursor
from forum.errors import NotFound
from forum.pagecache import page_cache

bp = Blueprint("tags", __name__, url_prefix="/tags")


@bp.get("")
def index():
    return render_template("tags/index.html", grouped=tags.directory())


@bp.get("/suggest")
def suggest():
    """Tags for the compose page's tag field, as the member types: `?q=imu` finds azathioprine
    through its brand name Imuran. Public data, so no login needed."""
    typed = request.args.get("q", "")[:80]
    found = tags.suggest(typed)
    return jsonify(
        query=typed,
        results=[
            {
                "name": s.tag.name,
                "slug": s.tag.slug,
                "kind": s.tag.kind.value,
                "kind_label": s.tag.kind.label,
                "alias": s.matched_alias,
            }
            for s in found
        ],
    )


@bp.post("/mentions")
def mentions():
    """Drugs named in a draft's text (JSON `text` and `tags`), for the compose page to offer as
    tags: `{"tags": [...], "ambiguous": [...]}`. Suggestions only; nothing is applied."""
    if not current_user.is_authenticated:
        return jsonify(error="Please log in to write on Cohort."), 401
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error="We couldn’t read that text."), 400
    typed = str(data.get("tags") or "")[:2000]
    found = drug_mentions.find_for_draft(
        str(data.get("text") or ""), [t.strip() for t in typed.split(",") if t.strip()]
    )
    return _mentions_json(found)


def _described(tag) -> dict:
    return {"name": tag.name, "slug": tag.slug, "kind_label": tag.kind.label}


def _mentions_json(found):
    return jsonify(
        tags=[
            {**_described(m.tag), "written": m.written if m.via_other_name else None}
            for m in found.tags
        ],
        ambiguous=[
            {
                "written": a.written,
                "note": a.note,
                "candidates": [_described(t) for t in a.candidates],
            }
            for a in found.ambiguous
        ],
    )


@bp.get("/<slug>")
def show(slug: str):
    cache = page_cache()
    if (html := _cached_tag_page(cache, slug)) is not None:
        return html
    resolved = tags.resolve_slug(slug)
    if resolved is None:
        raise NotFound(
            "We don’t have a page for that drug, condition or topic yet. "
            "Browse all tags to find what you are looking for."
        )
    tag = resolved.tag
    if slug != tag.slug:
        return _to_canonical(tag)
    html = _render_tag_page(tag)
    if cache is not None:
        cache.put(("tag", tag.id, tag.listing_version, request.query_string), html)
    return html


def _cached_tag_page(cache, slug: str) -> str | None:
    """The shared copy of this tag page, if it is still current (readers all see the same)."""
    if cache is None:
        return None
    version = cache.version(("tag", slug), lambda: tags.page_version(slug))
    if version is None:
        return None
    return cache.get(("tag", *version, request.query_string))


def _to_canonical(tag):
    """An alias (/tags/imuran) or another spelling: one drug, one page. The query comes along,
    minus what would clash with the URL's own parts or url_for's (?slug=, ?_anchor=)."""
    query = {k: v for k, v in request.args.lists() if k not in request.view_args and k[:1] != "_"}
    return redirect(url_for("tags.show", slug=tag.slug, **query), 301)


def _render_tag_page(tag) -> str:
    before = Cursor.decode(request.args.get("before"))
    page = listings.tag_listing(tag, before=before, limit=current_app.config["POSTS_PER_PAGE"])
    first_page = before is None
    return render_template(
        "tags/show.html",
        tag=tag,
        page=page,
        first_page=first_page,
        pinned=editorial.pinned_for(tag) if first_page else [],
        pinned_posts=listings.pinned_in(tag) if first_page else [],
        follow_mode=follows.mode_for(current_user, tag) if current_user.is_authenticated else None,
        follow_modes=list(FollowMode),
        related=tags.related(tag) if first_page else {},
    )
