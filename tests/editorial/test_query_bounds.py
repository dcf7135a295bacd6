"""Articles and the editors' pages cost the same number of queries however many articles,
sources, pins, tags and revisions there are."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from forum.domain.models import Article, ArticleStatus, User, utcnow
from forum.domain.services import editorial, merging
from forum.extensions import db
from tests.factories import make_article, make_tag, make_user

_names = itertools.count(1)


def _draft(n: int) -> editorial.ArticleDraft:
    """An overview with `n` sources, and `n` new tags it links to with [[...]] and is pinned to."""
    tags = [make_tag(name=f"Linked drug {next(_names)}", definition="A drug.") for _ in range(n)]
    return editorial.ArticleDraft(
        title="Living with it",
        slug="living-with-it",
        status=ArticleStatus.PUBLISHED,
        body="## Related\n\n" + " ".join(f"See [[{tag.name}]]." for tag in tags),
        reviewer_name="Dr. Test Reviewer",
        references=[
            editorial.ReferenceDraft(f"Source {i}", "MedlinePlus", f"https://example.org/{i}")
            for i in range(n)
        ],
        pins=[editorial.PinDraft(tag.name) for tag in tags],
    )


def test_article_page_queries_do_not_grow_with_sources_links_or_pins(app, client, bounded_page):
    with app.app_context():
        editor = make_user(role="editor")
        article = editorial.create_article(editor, _draft(1))
        ids = article.id, editor.id

    def expand() -> None:
        article, editor = db.session.get(Article, ids[0]), db.session.get(User, ids[1])
        editorial.edit_article(article, actor=editor, draft=_draft(30))

    html = bounded_page(client, "/articles/living-with-it", grow=expand, at_most=3)
    assert html.count('class="wikilink"') == 30
    assert html.count('href="https://example.org/') == 30
    assert html.count('href="/tags/linked-drug-') == 60  # each link and each pinned tag chip


def _articles(n: int) -> None:
    """`n` articles, overdue, due soon, unreviewed or fine, each pinned to two of several tags;
    one in seven a draft."""
    today = utcnow().date()
    tags = [make_tag() for _ in range(max(2, n // 3))]
    ages = (400, 330, None, 100)  # days since review: overdue, due soon, never, fine
    for i in range(n):
        article = make_article(
            title=f"Listed article {i}",
            status="draft" if i % 7 == 6 else "published",
            pinned_to=[tags[i % len(tags)], tags[(i + 1) % len(tags)]],
            last_reviewed_on=today - timedelta(days=ages[i % 4] or 1),
        )
        if ages[i % 4] is None:
            article.last_reviewed_on = article.review_due_on = None
    db.session.commit()


def test_editorial_list_queries_do_not_grow_with_articles(app, editor_client, bounded_page):
    with app.app_context():
        _articles(1)
    html = bounded_page(editor_client, "/editorial", grow=lambda: _articles(35), at_most=5)
    assert html.count('<li class="card">') == 36 and "Listed article 34" in html


def test_review_list_queries_do_not_grow_with_articles(app, editor_client, bounded_page):
    with app.app_context():
        _articles(4)
    html = bounded_page(editor_client, "/editorial/review", grow=lambda: _articles(40), at_most=5)
    needing_review = [i for i in range(40) if i % 7 != 6 and i % 4 != 3]
    assert html.count('<li class="card">') == len(needing_review) + 3
    assert "Review due (" in html and "Published without a review date (" in html


def _tags(n: int, editor_id: int) -> None:
    """`n` tags of each kind with two other names each, a few merged into others."""
    editor = db.session.get(User, editor_id)
    kinds = ("drug", "condition", "topic")
    tags = [
        make_tag(kind=kinds[i % 3], aliases=[f"other name {next(_names)}" for _ in range(2)])
        for i in range(n * 3)
    ]
    for merged, survivor in zip(tags[: n // 5], tags[-(n // 5) :], strict=False):
        if merged.kind is survivor.kind:
            merging.merge_tags(merged, survivor, actor=editor)


def test_tag_directory_queries_do_not_grow_with_tags(app, editor, editor_client, bounded_page):
    with app.app_context():
        _tags(1, editor)
    html = bounded_page(editor_client, "/editorial/tags", grow=lambda: _tags(15, editor), at_most=6)
    assert html.count('class="directory-name"') >= 45
    assert html.count("other names") >= 45
    assert "Merged into other tags" in html


def _revise(article_id: int, n: int) -> None:
    """`n` more revisions by several editors."""
    article = db.session.get(Article, article_id)
    editors = [make_user(role="editor") for _ in range(4)]
    for i in range(n):
        article.summary = f"Summary take {i}"
        editorial.keep_revision(article, editors[i % 4], note=f"Revision note {i}")
        db.session.commit()


def test_history_queries_do_not_grow_with_revisions(app, editor_client, bounded_page):
    with app.app_context():
        article_id = make_article(pinned_to=[make_tag(), make_tag()]).id
        _revise(article_id, 1)
    html = bounded_page(
        editor_client,
        f"/editorial/articles/{article_id}/history",
        grow=lambda: _revise(article_id, 35),
        at_most=7,
    )
    assert len(re.findall(r'class="version-heading"', html)) == 36
    assert "Revision note 34" in html
