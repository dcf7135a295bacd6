"""What a newcomer sees after `make run`: demo articles with a history, overdue reviews, a
comparison on every drug it compares, and the editors' screens."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.domain.models import Article, ArticleRevision, User
from forum.domain.services import editorial
from forum.extensions import db
from tests.factories import login


def test_the_demo_shows_editorial_work(app, runner):
    app.config["DEMO_PASSWORD"] = "demo pass 123"
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        articles = db.session.scalar(select(func.count(Article.id)))
        with_history = db.session.scalar(
            select(func.count(func.distinct(ArticleRevision.article_id)))
        )
        assert articles == with_history >= 20
        editor = db.session.scalar(select(User).where(User.pseudonym == "dana_editor"))
        review = editorial.needs_review(viewer=editor)
        overdue = {a.slug for a in review.overdue}
        assert {"allopurinol-overview", "cyclosporine-overview"} <= overdue
        email = editor.email
    client = app.test_client()
    assert login(client, email, "demo pass 123").status_code == 302
    html = client.get("/editorial/review").get_data(as_text=True)
    assert "Allopurinol" in html or "allopurinol" in html
    for slug in ("azathioprine", "methotrexate", "vedolizumab"):
        page = client.get(f"/tags/{slug}").get_data(as_text=True)
        assert "Azathioprine compared with methotrexate, mycophenolate and biologics" in page
    assert client.get("/editorial/tags").status_code == 200
    assert "anti-TNF" in client.get("/editorial/ambiguous-names").get_data(as_text=True)
