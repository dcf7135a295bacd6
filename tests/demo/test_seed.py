"""`flask --app forum seed-demo` and `seed-bulk`."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.domain.models import (
    Article,
    ArticleKind,
    Post,
    PostKind,
    Reply,
    Tag,
    TagAlias,
    TagKind,
    TagRelation,
    User,
)
from forum.domain.services import tags
from forum.extensions import db


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seed_demo_loads_a_living_demo_and_is_idempotent(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo accounts:" in result.output
    with app.app_context():
        drugs = db.session.scalars(select(Tag).where(Tag.kind == TagKind.DRUG)).all()
        assert len(drugs) >= 8
        assert sum(1 for d in drugs if d.aliases) >= 8
        for brand, generic in [
            ("Imuran", "azathioprine"),
            ("Humira", "adalimumab"),
            ("CellCept", "mycophenolate"),
            ("Lialda", "mesalamine"),
            ("Remicade", "infliximab"),
            ("Neoral", "cyclosporine"),
            ("Trexall", "methotrexate"),
            ("mesalazine", "mesalamine"),
        ]:
            assert tags.resolve_name(brand).tag.name == generic, brand
        assert count(Tag, Tag.kind == TagKind.CONDITION) >= 4
        topics = {t.slug for t in db.session.scalars(select(Tag).where(Tag.kind == TagKind.TOPIC))}
        assert {
            "side-effects",
            "insurance",
            "interactions",
            "genetic-testing",
            "dosing",
            "alternatives",
            "natural-therapies",
            "pregnancy",
        } <= topics
        overviews = count(Article, Article.kind == ArticleKind.OVERVIEW)
        assert overviews >= 4
        assert count(Post) >= 60
        assert count(Post, Post.kind == PostKind.STORY) >= 20
        assert count(Post, Post.kind == PostKind.THREAD) >= 20
        assert count(Reply) >= 100
        assert db.session.scalar(select(func.count(func.distinct(Post.author_id)))) >= 8
        assert count(TagRelation) > 0
        before = {
            m.__name__: count(m) for m in (User, Tag, TagAlias, TagRelation, Article, Post, Reply)
        }
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "nothing to add" in again.output
    with app.app_context():
        after = {
            m.__name__: count(m) for m in (User, Tag, TagAlias, TagRelation, Article, Post, Reply)
        }
    assert after == before


def test_seed_demo_if_empty_leaves_an_existing_database_alone(app, runner):
    from tests.factories import make_user

    with app.app_context():
        make_user()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "leaving it as it is" in result.output
    with app.app_context():
        assert count(Post) == 0


def test_demo_pages_render(app, runner, client):
    runner.invoke(args=["seed-demo"])
    assert client.get("/tags/imuran").headers["Location"].endswith("/tags/azathioprine")
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "Editors’ overview" in html
    assert "View more" in html  # the busiest demo page has more than one page
    for path in ("/", "/tags", "/articles/azathioprine-vs-alternatives"):
        assert client.get(path).status_code == 200, path


def test_seed_bulk_builds_posts_tags_and_replies(app, runner, client):
    result = runner.invoke(
        args=["seed-bulk", "--posts", "300", "--replies", "100", "--members", "20"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(Post) == 300
        assert count(User) == 20
        assert count(Reply) == 100 + 20 * 50
        heavy = db.session.scalar(select(Tag).where(Tag.slug == "azathioprine"))
        newest = db.session.scalar(select(Post).order_by(Post.published_at.desc()).limit(1))
        assert newest.reply_count == 50
        total_replies = db.session.scalar(select(func.sum(Post.reply_count)))
        assert total_replies == 100 + 20 * 50
    page = client.get(f"/tags/{heavy.slug}")
    assert page.status_code == 200
    assert "View more" in page.get_data(as_text=True)


def test_seed_bulk_posts_are_searchable(app, runner, client):
    runner.invoke(args=["seed-bulk", "--posts", "50", "--replies", "10", "--members", "5"])
    html = client.get("/search?q=breakfast").get_data(as_text=True)
    assert "First months on it" in html
