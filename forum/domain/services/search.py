"""Full-text search over published stories, threads, replies and articles.

One service, two engines: SQLite FTS5 (bm25, title weighted 10:1) on the embedded database and
PostgreSQL full-text search (a weighted tsvector with a GIN index; title A, body B) in
production. Any query string is parsed into terms, "quoted phrases", OR and -exclusions, then
compiled into each engine's syntax from quoted or bound pieces (search_query.py), so no input
can cause a syntax error. Names of drugs, conditions and topics are expanded through the alias
table: "Imuran" also finds "azathioprine", and posts tagged azathioprine even if they don't
say it. The documents themselves are kept in step by search_index.py.

Results are drawn from the newest CANDIDATES matches the viewer may see (visibility is decided
by joining each document to its post, reply or article), plus the newest posts tagged with a
drug the query names, then ranked by relevance and shown in pages: bounded work, whatever
the size of the site (on PostgreSQL in two bounded steps: see WINDOW).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from markupsafe import Markup
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import joinedload, selectinload

from forum.domain.models import (
    Article,
    Post,
    Reply,
    SearchDocument,
    Tag,
)
from forum.domain.services import search_query
from forum.extensions import db
from forum.text import search_snippet

CANDIDATES = 100
PAGE_SIZE = 20
MAX_PAGES = CANDIDATES // PAGE_SIZE
KINDS = ("story", "thread", "article")

# --- searching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    tag: Tag | None = None
    kind: str | None = None  # story | thread | article
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Hit:
    kind: str  # story | thread | reply | article
    target: Post | Reply | Article
    title: str
    snippet: Markup
    when: datetime | None


@dataclass(frozen=True)
class Results:
    parsed: search_query.ParsedQuery
    hits: list[Hit]
    page: int
    has_more: bool
    capped: bool  # more matches exist than we rank


# Visibility and filters are correlated EXISTS tests rather than joins: evaluated only for rows
# that already match the words, they keep a backwards scan streaming (a join would make the
# database sort the whole window first).
_POST_OK = "(SELECT 1 FROM posts p WHERE p.id = d.post_id AND p.status = 'published'{extra})"
_VISIBLE = (
    "(CASE WHEN d.article_id IS NOT NULL THEN EXISTS (SELECT 1 FROM articles a WHERE"
    " a.id = d.article_id AND a.status = 'published' AND a.removed_at IS NULL{article_extra})"
    " WHEN d.reply_id IS NOT NULL THEN EXISTS (SELECT 1 FROM replies r WHERE r.id = d.reply_id"
    " AND r.status = 'published'{reply_extra}) AND EXISTS "
    + _POST_OK
    + " ELSE EXISTS "
    + _POST_OK.replace("{extra}", "{post_extra}")
    + " END)"
)


def _filters_sql(filters: Filters, params: dict) -> str:
    post_extra = reply_extra = article_extra = ""
    kind_clause = ""
    if filters.kind in ("story", "thread"):
        post_extra += " AND p.kind = :kind"
        params["kind"] = filters.kind
        kind_clause = " AND d.article_id IS NULL"
    elif filters.kind == "article":
        kind_clause = " AND d.article_id IS NOT NULL"
    if filters.since is not None:
        params["since"] = datetime.combine(filters.since, time.min)
        reply_extra += " AND r.published_at >= :since"
        article_extra += " AND a.published_at >= :since"
    if filters.until is not None:
        params["until"] = datetime.combine(filters.until + timedelta(days=1), time.min)
        reply_extra += " AND r.published_at < :until"
        article_extra += " AND a.published_at < :until"
    own_post_extra = post_extra
    if filters.since is not None:
        own_post_extra += " AND p.published_at >= :since"
    if filters.until is not None:
        own_post_extra += " AND p.published_at < :until"
    clause = _VISIBLE.format(
        extra=post_extra,
        post_extra=own_post_extra,
        reply_extra=reply_extra,
        article_extra=article_extra,
    )
    if filters.tag is not None:
        clause += (
            " AND (EXISTS (SELECT 1 FROM post_tags pt WHERE pt.post_id = d.post_id"
            " AND pt.tag_id = :tag) OR EXISTS (SELECT 1 FROM article_pins ap"
            " WHERE ap.article_id = d.article_id AND ap.tag_id = :tag))"
        )
        params["tag"] = filters.tag.id
    return clause + kind_clause


def _tag_hits_sql(parsed: search_query.ParsedQuery, params: dict, where: str) -> str:
    """The newest visible posts tagged with a tag the query names (through the post_tags
    listing index), and articles pinned to it: "Imuran" finds what is tagged azathioprine."""
    if not parsed.tags:
        return "SELECT 0 AS id WHERE 1 = 0"
    names = []
    for i, tag in enumerate(parsed.tags):
        params[f"named{i}"] = tag.id
        names.append(f":named{i}")
    listed = ", ".join(names)
    return (
        "SELECT id FROM (SELECT d.id FROM post_tags pt2"
        " JOIN search_documents d ON d.post_id = pt2.post_id AND d.reply_id IS NULL"
        f" {_JOINS}"
        f" WHERE pt2.tag_id IN ({listed}) AND pt2.listed_at IS NOT NULL AND {where}"
        " ORDER BY pt2.listed_at DESC LIMIT :candidates) AS tagged"
        " UNION SELECT d.id FROM article_pins ap2"
        " JOIN search_documents d ON d.article_id = ap2.article_id"
        f" {_JOINS}"
        f" WHERE ap2.tag_id IN ({listed}) AND {where}"
    )


_JOINS = ""  # visibility and filters are EXISTS tests (see _VISIBLE)


# How PostgreSQL finds text matches depends on how common the words are. Measured on a million
# posts: testing a stored tsvector costs ~10 us, and the GIN index costs ~2.5 us per match it
# returns (200,000 matches: half a second). Finding CANDIDATES by walking the newest documents
# costs CANDIDATES / density tests; through GIN, every match. They break even near 1.6%
# density. So: walk the newest PROBE documents first (at most ~30 ms); if the words filled
# CANDIDATES, done; if they proved dense, walk on (at most MAX_WALK rows); if sparse, ask the
# GIN index about the older documents, which is cheap exactly when words are sparse.
PROBE = 3_000
DENSE_IN_PROBE = 48  # matches among PROBE documents: 1.6%
MAX_WALK = 50_000


def _pg_walk(expression: str, params: dict, where: str, *, below: int | None, rows: int, need: int):
    bound = "WHERE id < :below " if below is not None else ""
    return list(
        db.session.execute(
            text(
                f"WITH q AS (SELECT {expression} AS query)"
                f" SELECT d.id FROM q, (SELECT * FROM search_documents {bound}ORDER BY id DESC"
                f" LIMIT :rows) AS d {_JOINS}"
                f" WHERE d.document @@ q.query AND {where} ORDER BY d.id DESC LIMIT :need"
            ),
            {**params, "below": below, "rows": rows, "need": need},
        ).scalars()
    )


def _pg_text_hits(expression: str, params: dict, where: str) -> list[int]:
    found = _pg_walk(expression, params, where, below=None, rows=PROBE, need=CANDIDATES)
    if len(found) >= CANDIDATES:
        return found
    floor = db.session.scalar(
        text("SELECT min(id) FROM (SELECT id FROM search_documents ORDER BY id DESC LIMIT :p) w"),
        {"p": PROBE},
    )
    if floor is None:
        return found
    need = CANDIDATES - len(found)
    if len(found) >= DENSE_IN_PROBE:
        return found + _pg_walk(expression, params, where, below=floor, rows=MAX_WALK, need=need)
    older = db.session.execute(
        text(
            f"WITH q AS (SELECT {expression} AS query)"
            f" SELECT d.id FROM q, search_documents d {_JOINS}"
            # "+ 0": sort what the GIN index found, never walk the primary key for it.
            f" WHERE d.document @@ q.query AND d.id < :floor AND {where}"
            " ORDER BY d.id + 0 DESC LIMIT :need"
        ),
        {**params, "floor": floor, "need": need},
    ).scalars()
    return found + list(older)


def _ranked_ids(
    parsed: search_query.ParsedQuery, filters: Filters, page: int
) -> tuple[list[int], int]:
    """(document ids for this page, best first; how many candidates there were)."""
    params: dict = {"candidates": CANDIDATES, "limit": PAGE_SIZE + 1, "offset": page * PAGE_SIZE}
    where = _filters_sql(filters, params)
    tag_hits = _tag_hits_sql(parsed, params, where)
    if db.engine.dialect.name == "postgresql":
        expression, terms = search_query.pg_tsquery(parsed)
        params.update(terms)
        hits = _pg_text_hits(expression, params, where)
        tagged = db.session.execute(text(tag_hits), params).scalars().all() if parsed.tags else []
        ids = sorted(set(hits) | set(tagged))
        if not ids:
            return [], 0
        sql = (
            f"WITH q AS (SELECT {expression} AS query),"
            " candidates AS ("
            "  SELECT d.id, CASE WHEN d.document @@ q.query"
            "   THEN ts_rank_cd('{0.05, 0.2, 0.4, 1.0}', d.document, q.query) + 1"
            "   ELSE 0.5 END AS score"
            "  FROM q, search_documents d WHERE d.id IN :ids)"
            " SELECT id, (SELECT count(*) FROM candidates) FROM candidates"
            " ORDER BY score DESC, id DESC LIMIT :limit OFFSET :offset"
        )
        statement = text(sql).bindparams(bindparam("ids", expanding=True))
        rows = db.session.execute(statement, {**params, "ids": ids}).all()
    else:
        params["match"] = search_query.fts5_match(parsed)
        sql = (
            "WITH m AS (SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS score"
            "  FROM search_fts WHERE search_fts MATCH :match),"
            f" text_hits AS (SELECT d.id FROM search_documents d JOIN m ON m.id = d.id {_JOINS}"
            f"  WHERE {where} ORDER BY d.id DESC LIMIT :candidates),"
            f" tag_hits AS ({tag_hits}),"
            " candidates AS ("
            "  SELECT d.id, COALESCE(m.score - 1000, 0) AS score"
            "  FROM search_documents d LEFT JOIN m ON m.id = d.id"
            "  WHERE d.id IN (SELECT id FROM text_hits UNION SELECT id FROM tag_hits))"
            " SELECT id, (SELECT count(*) FROM candidates) FROM candidates"
            " ORDER BY score, id DESC LIMIT :limit OFFSET :offset"
        )
        rows = db.session.execute(text(sql), params).all()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def search(raw_query: str, *, filters: Filters | None = None, page: int = 0) -> Results:
    """A page of results for any string; never raises for what a person types."""
    parsed = search_query.parse(raw_query)
    page = max(0, min(page, MAX_PAGES - 1))
    if parsed.empty:
        return Results(parsed, [], page, False, False)
    ids, candidates = _ranked_ids(parsed, filters or Filters(), page)
    has_more = len(ids) > PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    hits = _load_hits(ids, parsed)
    return Results(parsed, hits, page, has_more, candidates >= CANDIDATES)


def _load_hits(ids: list[int], parsed: search_query.ParsedQuery) -> list[Hit]:
    """The documents' posts, replies and articles (at most three queries), in ranked order."""
    if not ids:
        return []
    docs = db.session.scalars(select(SearchDocument).where(SearchDocument.id.in_(ids))).all()
    post_ids = [d.post_id for d in docs if d.reply_id is None and d.post_id]
    reply_ids = [d.reply_id for d in docs if d.reply_id]
    article_ids = [d.article_id for d in docs if d.article_id]
    # Each kind is one query, and only asked for when the page has some.
    posts = {
        p.id: p
        for p in (
            db.session.scalars(
                select(Post)
                .where(Post.id.in_(post_ids))
                .options(joinedload(Post.author), selectinload(Post.tags))
            ).unique()
            if post_ids
            else []
        )
    }
    replies = {
        r.id: r
        for r in (
            db.session.scalars(
                select(Reply)
                .where(Reply.id.in_(reply_ids))
                .options(joinedload(Reply.post), joinedload(Reply.author))
            )
            if reply_ids
            else []
        )
    }
    articles = {
        a.id: a
        for a in (
            db.session.scalars(select(Article).where(Article.id.in_(article_ids)))
            if article_ids
            else []
        )
    }
    by_id = {d.id: d for d in docs}
    words = parsed.words
    hits = []
    for doc_id in ids:
        doc = by_id[doc_id]
        if doc.reply_id:
            reply = replies[doc.reply_id]
            hits.append(
                Hit(
                    "reply",
                    reply,
                    reply.post.title,
                    search_snippet(doc.body, words),
                    reply.published_at,
                )
            )
        elif doc.article_id:
            article = articles[doc.article_id]
            hits.append(
                Hit(
                    "article",
                    article,
                    article.title,
                    search_snippet(doc.body, words),
                    article.published_at,
                )
            )
        else:
            post = posts[doc.post_id]
            hits.append(
                Hit(
                    post.kind.value,
                    post,
                    post.title,
                    search_snippet(doc.body, words),
                    post.published_at,
                )
            )
    return hits


def kind_of(value: str | None) -> str | None:
    return value if value in KINDS else None
