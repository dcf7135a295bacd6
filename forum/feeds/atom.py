"""Atom 1.0 feeds (RFC 4287), built with ElementTree so they are always well-formed XML."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET  # noqa: S405 - we only *write* XML here

from forum.domain.models import Post, utcnow
from forum.text import strip_controls

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """ElementTree escapes markup but writes control characters as they are, which no XML
    parser accepts: they are dropped (older rows may hold some)."""
    attrs = {k: strip_controls(v) for k, v in attrs.items() if v}
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = strip_controls(text)
    return element


def feed(
    *, title: str, subtitle: str, self_url: str, page_url: str, posts: list[Post], post_url
) -> bytes:
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "title", title)
    _sub(root, "subtitle", subtitle)
    _sub(root, "id", page_url)
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=page_url)
    updated = max((p.last_activity_at for p in posts), default=None) or utcnow()
    _sub(root, "updated", _iso(updated))
    author = _sub(root, "author")
    _sub(author, "name", "Cohort members")
    _sub(root, "generator", "Cohort")
    for post in posts:
        entry = _sub(root, "entry")
        url = post_url(post)
        _sub(entry, "title", post.title)
        _sub(entry, "id", url)
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        _sub(entry, "published", _iso(post.published_at))
        _sub(entry, "updated", _iso(post.edited_at or post.published_at))
        entry_author = _sub(entry, "author")
        _sub(
            entry_author,
            "name",
            post.author.pseudonym
            if post.author and not post.author.is_erased
            else "a former member",
        )
        for tag in post.tags:
            _sub(entry, "category", term=tag.slug, label=tag.name)
        _sub(entry, "summary", post.excerpt, type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
