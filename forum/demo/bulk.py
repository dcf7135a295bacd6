"""A large synthetic data set for benchmarks: `flask --app forum seed-bulk --posts 1000000`.

On PostgreSQL the rows are generated inside the database (INSERT ... SELECT over
generate_series), which builds a million posts with their tags and replies in a few minutes.
Elsewhere (SQLite) the same rows are inserted in batches from Python.

Shape: posts spread over the existing drug, condition and topic tags (run seed-demo first, or a
few tags are created), with azathioprine carrying about 30% of them, so its tag page has far
more than the 5,000 pages of 20 a deep "view more" benchmark needs. The newest 20 posts get 50
replies each (the post-page benchmark); the other replies are spread over older posts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from forum.domain.models import (
    Post,
    PostKind,
    PostStatus,
    PostTag,
    Reply,
    Tag,
    TagKind,
    User,
    UserRole,
    UserStatus,
    utcnow,
)
from forum.domain.services import accounts, lifecycle, tags
from forum.extensions import db
from forum.text import RENDERER_VERSION, excerpt, render_user_text

POST_SPACING_SECONDS = 30
BENCH_POSTS_WITH_50_REPLIES = 20
HEAVY_TAG_SLUG = "azathioprine"
HEAVY_TAG_SHARE = 3  # in 10

BODIES = [
    "Started on this three months ago. The first weeks were rough: **nausea** in the mornings, "
    "better once I took it with breakfast. Blood tests every two weeks at first, now monthly.\n\n"
    "Anyone else notice the tiredness easing after the second month?",
    "My specialist wants to switch me and I'm nervous. The current one works, mostly, but the "
    "side effects are wearing me down. What questions did you ask before switching?",
    "Insurance denied the refill again. Third time this year. The pharmacy says it's a prior "
    "authorization problem; my doctor's office says it's the pharmacy. *Deep breath.*",
    "Two years in. Numbers are stable, energy is about 70% of what it was. I keep a small "
    "notebook of symptoms, and it made the last appointment far more useful.",
    "Question about timing: does anyone take theirs in the evening instead? My care team said "
    "either is fine as long as I'm consistent, but I'm curious what works for people.",
]
TITLES = [
    "First months on it",
    "Thinking about switching",
    "Prior authorization again",
    "Two years in",
    "Morning or evening?",
]
REPLY_BODIES = [
    "Same here. It got easier after a few weeks.",
    "Thanks for writing this, it helps to know I'm not the only one.",
    "Worth asking your pharmacist; mine was really helpful about timing.",
    "I had the same insurance runaround. Keep notes of every call.",
]


def _ensure_tags() -> dict[TagKind, list[int]]:
    found: dict[TagKind, list[int]] = {kind: [] for kind in TagKind}
    for tag in db.session.scalars(select(Tag).order_by(Tag.id)):
        found[tag.kind].append(tag.id)
    defaults = {
        TagKind.DRUG: [HEAVY_TAG_SLUG, "methotrexate", "mycophenolate"],
        TagKind.CONDITION: ["Crohn's disease", "Ulcerative colitis"],
        TagKind.TOPIC: ["Side effects", "Insurance"],
    }
    for kind, names in defaults.items():
        if not found[kind]:
            for name in names:
                found[kind].append(tags.new_tag(kind, name).id)
    db.session.commit()
    return found


def _heavy_tag_id(drugs: list[int]) -> int:
    heavy = db.session.scalar(select(Tag.id).where(Tag.slug == HEAVY_TAG_SLUG))
    return heavy if heavy is not None else drugs[0]


def _case(expr: str, values: list, param: str, params: dict) -> str:
    """CASE (expr % n) WHEN 0 THEN :param_0 ... as SQL, binding the values."""
    parts = []
    for i, value in enumerate(values):
        params[f"{param}_{i}"] = value
        parts.append(f"WHEN {i} THEN :{param}_{i}")
    return f"(CASE ({expr}) % {len(values)} {' '.join(parts)} END)"


def seed_bulk(
    *, posts: int, replies: int, members: int, echo: Callable[[str], None] = print
) -> str:
    started = time.perf_counter()
    by_kind = _ensure_tags()
    heavy = _heavy_tag_id(by_kind[TagKind.DRUG])
    run = utcnow().strftime("%Y%m%d%H%M%S")
    if db.engine.dialect.name == "postgresql":
        _postgres(run, posts, replies, members, by_kind, heavy, echo)
    else:
        _portable(run, posts, replies, members, by_kind, heavy, echo)
    total = db.session.scalar(select(func.count(Post.id)))
    elapsed = time.perf_counter() - started
    return f"Bulk data ready in {elapsed:.1f}s: {total:,} posts in the database."


def _rendered(values: list[str]) -> tuple[list[str], list[str]]:
    return [str(render_user_text(v)) for v in values], [excerpt(v, 280) for v in values]


def _postgres(run, posts, replies, members, by_kind, heavy, echo) -> None:
    conn = db.session.connection()
    now = utcnow().replace(tzinfo=None)
    password_hash = accounts.hash_password(f"bulk-{run}")
    params: dict = {"run": run, "hash": password_hash, "now": now, "members": members}

    echo(f"Creating {members:,} members...")
    conn.execute(
        text(
            "INSERT INTO users (pseudonym, pseudonym_key, email, password_hash, role, status,"
            " email_verified_at, session_version, created_at, updated_at)"
            " SELECT 'bulk' || :run || '_' || i, 'bulk' || :run || '_' || i,"
            " 'bulk' || :run || '_' || i || '@bulk.cohort.invalid', :hash, 'member', 'active',"
            " :now, 1, :now, :now FROM generate_series(1, :members) AS i"
        ),
        params,
    )
    member_ids = list(
        conn.execute(
            text("SELECT id FROM users WHERE pseudonym_key LIKE :prefix ORDER BY id"),
            {"prefix": f"bulk{run}\\_%"},
        ).scalars()
    )
    params["ids"] = member_ids
    params["members"] = len(member_ids)

    echo(f"Creating {posts:,} posts...")
    html, excerpts = _rendered(BODIES)
    case_params: dict = {}
    body = _case("i", BODIES, "body", case_params)
    body_html = _case("i", html, "html", case_params)
    body_excerpt = _case("i", excerpts, "exc", case_params)
    title = _case("i", TITLES, "title", case_params)
    before = conn.execute(text("SELECT coalesce(max(id), 0) FROM posts")).scalar_one()
    conn.execute(
        text(
            "INSERT INTO posts (kind, status, author_id, title, slug, excerpt, body, body_html,"
            " body_html_version, published_at, last_activity_at, reply_count, created_at,"
            " updated_at)"
            " SELECT CASE WHEN i % 2 = 0 THEN 'story' ELSE 'thread' END, 'published',"
            " (CAST(:ids AS integer[]))[1 + (i * 7919) % :members],"
            f" {title} || ' #' || i, 'bulk-post-' || i, {body_excerpt}, {body}, {body_html},"
            " :version, ts, ts, 0, ts, ts"
            " FROM (SELECT i, CAST(:now AS timestamp) - (:posts - i) * interval '30 seconds'"
            "       AS ts FROM generate_series(CAST(1 AS bigint), :posts) AS i) AS s"
        ),
        {**params, **case_params, "posts": posts, "version": RENDERER_VERSION},
    )
    first_post, last_post, made = conn.execute(
        text("SELECT min(id), max(id), count(*) FROM posts WHERE id > :before"),
        {"before": before},
    ).one()
    if made != posts or last_post - first_post + 1 != posts:
        raise RuntimeError("Another writer added posts during seed-bulk; use a quiet database.")

    echo("Tagging posts...")
    drugs, conditions, topics = (
        by_kind[TagKind.DRUG],
        by_kind[TagKind.CONDITION],
        by_kind[TagKind.TOPIC],
    )
    others = [d for d in drugs if d != heavy] or [heavy]
    tag_params: dict = {"heavy": heavy, "first": first_post, "last": last_post}
    drug = _case("id * 31", others, "drug", tag_params)
    condition = _case("id * 17", conditions, "cond", tag_params)
    topic = _case("id * 13", topics, "topic", tag_params)
    conn.execute(
        text(
            "INSERT INTO post_tags (post_id, tag_id)"
            f" SELECT id, CASE WHEN id % 10 < {HEAVY_TAG_SHARE} THEN :heavy ELSE {drug} END"
            " FROM posts WHERE id BETWEEN :first AND :last"
        ),
        tag_params,
    )
    conn.execute(
        text(
            f"INSERT INTO post_tags (post_id, tag_id) SELECT id, {condition}"
            " FROM posts WHERE id BETWEEN :first AND :last"
        ),
        tag_params,
    )
    conn.execute(
        text(
            f"INSERT INTO post_tags (post_id, tag_id) SELECT id, {topic}"
            " FROM posts WHERE id BETWEEN :first AND :last AND id % 3 = 0"
        ),
        tag_params,
    )

    echo(
        f"Creating {replies:,} replies, plus 50 on each of the newest"
        f" {BENCH_POSTS_WITH_50_REPLIES} posts..."
    )
    rhtml, _ = _rendered(REPLY_BODIES)
    reply_params: dict = {}
    rbody = _case("n", REPLY_BODIES, "rb", reply_params)
    rbody_html = _case("n", rhtml, "rh", reply_params)
    common = {
        **params,
        **reply_params,
        "first": first_post,
        "last": last_post,
        "version": RENDERER_VERSION,
    }
    later = "p.published_at + (1 + n % 50) * interval '1 minute'"  # replies follow their post
    insert_replies = (
        "INSERT INTO replies (post_id, author_id, status, body, body_html, body_html_version,"
        " published_at, created_at, updated_at)"
        " SELECT p.id, (CAST(:ids AS integer[]))[1 + (n * 104729) % :members], 'published',"
        f" {rbody}, {rbody_html}, :version, {later}, {later}, {later}"
    )
    conn.execute(
        text(
            insert_replies
            + " FROM posts AS p CROSS JOIN generate_series(CAST(1 AS bigint), 50) AS n"
            f" WHERE p.id > :last - {BENCH_POSTS_WITH_50_REPLIES} AND p.id <= :last"
        ),
        common,
    )
    if replies:
        conn.execute(
            text(
                insert_replies + " FROM (SELECT n, :first + (n * 7) % (:last - :first + 1) AS pid"
                " FROM generate_series(CAST(1 AS bigint), :replies) AS n) AS r"
                " JOIN posts AS p ON p.id = r.pid"
            ),
            {**common, "replies": replies},
        )
    echo("Listing, counting and indexing for search...")
    lifecycle.list_bulk_loaded(first_post, last_post)
    db.session.commit()
    echo("Analyzing tables...")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as auto:
        for table in ("users", "posts", "post_tags", "replies", "search_documents"):
            auto.execute(text(f"ANALYZE {table}"))


def _portable(run, posts, replies, members, by_kind, heavy, echo) -> None:
    """Batches from Python: slower, for SQLite and small sets."""
    now = utcnow()
    password_hash = accounts.hash_password(f"bulk-{run}")
    echo(f"Creating {members:,} members...")
    db.session.execute(
        insert(User),
        [
            {
                "pseudonym": f"bulk{run}_{i}",
                "pseudonym_key": f"bulk{run}_{i}",
                "email": f"bulk{run}_{i}@bulk.cohort.invalid",
                "password_hash": password_hash,
                "role": UserRole.MEMBER,
                "status": UserStatus.ACTIVE,
                "email_verified_at": now,
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1, members + 1)
        ],
    )
    member_ids = list(
        db.session.scalars(select(User.id).where(User.pseudonym_key.like(f"bulk{run}_%")))
    )
    html, excerpts = _rendered(BODIES)
    first_post = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
    drugs, conditions, topics = (
        by_kind[TagKind.DRUG],
        by_kind[TagKind.CONDITION],
        by_kind[TagKind.TOPIC],
    )
    others = [d for d in drugs if d != heavy] or [heavy]
    echo(f"Creating {posts:,} posts...")
    batch = 5_000
    for start in range(1, posts + 1, batch):
        rows, links = [], []
        for i in range(start, min(posts, start + batch - 1) + 1):
            at = now - timedelta(seconds=(posts - i) * POST_SPACING_SECONDS)
            k = i % len(BODIES)
            post_id = first_post + i - 1
            rows.append(
                {
                    "id": post_id,
                    "kind": PostKind.STORY if i % 2 == 0 else PostKind.THREAD,
                    "status": PostStatus.PUBLISHED,
                    "author_id": member_ids[(i * 7919) % len(member_ids)],
                    "title": f"{TITLES[k]} #{i}",
                    "slug": f"bulk-post-{i}",
                    "excerpt": excerpts[k],
                    "body": BODIES[k],
                    "body_html": html[k],
                    "body_html_version": RENDERER_VERSION,
                    "published_at": at,
                    "last_activity_at": at,
                    "reply_count": 0,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            drug = heavy if post_id % 10 < HEAVY_TAG_SHARE else others[(post_id * 31) % len(others)]
            links.append({"post_id": post_id, "tag_id": drug})
            links.append(
                {"post_id": post_id, "tag_id": conditions[(post_id * 17) % len(conditions)]}
            )
            if post_id % 3 == 0:
                links.append({"post_id": post_id, "tag_id": topics[(post_id * 13) % len(topics)]})
        db.session.execute(insert(Post), rows)
        db.session.execute(insert(PostTag), links)
    last_post = first_post + posts - 1
    echo(f"Creating {replies:,} replies...")
    targets = [
        pid
        for pid in range(
            max(first_post, last_post - BENCH_POSTS_WITH_50_REPLIES + 1), last_post + 1
        )
        for _ in range(50)
    ]
    targets += [first_post + (n * 7) % posts for n in range(1, replies + 1)]
    counts: dict[int, int] = {}
    rhtml, _ = _rendered(REPLY_BODIES)
    for start in range(0, len(targets), batch):
        rows = []
        for n, pid in enumerate(targets[start : start + batch], start=start):
            counts[pid] = counts.get(pid, 0) + 1
            at = (
                now
                - timedelta(seconds=(last_post - pid) * POST_SPACING_SECONDS)
                + timedelta(minutes=counts[pid])
            )
            k = n % len(REPLY_BODIES)
            rows.append(
                {
                    "post_id": pid,
                    "author_id": member_ids[(n * 104729) % len(member_ids)],
                    "status": PostStatus.PUBLISHED,
                    "body": REPLY_BODIES[k],
                    "body_html": rhtml[k],
                    "body_html_version": RENDERER_VERSION,
                    "published_at": at,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        db.session.execute(insert(Reply), rows)
    lifecycle.list_bulk_loaded(first_post, last_post)
    db.session.commit()
