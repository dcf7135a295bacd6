"""Editors writing articles: create and edit through the real forms, revisions and their
differences, the live preview, pins on tag pages, review dates, sources."""

from __future__ import annotations

from datetime import date, timedelta

from forum.domain.models import Article, ArticleRevision, utcnow
from forum.domain.services import editorial
from forum.extensions import db
from tests.factories import make_article, make_tag, make_user


def article_form(**overrides) -> dict:
    data = {
        "title": "Azathioprine: what patients should know",
        "kind": "overview",
        "status": "published",
        "summary": "What it is, how it is taken and what to watch for.",
        "body": "An opening paragraph.\n\n## Blood tests\n\nRegular checks, see [[Imuran]].",
        "reviewer_name": "Dr. Ada Reviewer",
        "reviewer_credentials": "PharmD",
        "last_reviewed_on": "2026-03-04",
        "review_due_on": "",
        "pins-0-tag": "Imuran",
        "pins-0-position": "",
        "pins-1-tag": "",
        "pins-1-position": "",
        "references-0-title": "Azathioprine",
        "references-0-publisher": "MedlinePlus",
        "references-0-url": "https://medlineplus.gov/druginfo/meds/a682167.html",
        "references-1-title": "",
        "references-1-publisher": "",
        "references-1-url": "",
        "note": "",
        "save": "y",
    }
    data.update(overrides)
    return data


def the_article() -> Article:
    return db.session.scalar(db.select(Article))


def test_editor_creates_an_overview_pinned_to_its_tag_with_a_first_revision(
    app, editor_client, editor
):
    with app.app_context():
        make_tag(name="azathioprine", definition="An immune-calming tablet.", aliases=["Imuran"])
    response = editor_client.post("/editorial/articles/new", data=article_form())
    assert response.status_code == 302
    with app.app_context():
        article = the_article()
        assert article.slug == "azathioprine-what-patients-should-know"
        assert article.author_id == editor
        assert [(p.tag.name, p.position) for p in article.pins] == [("azathioprine", 0)]
        assert article.review_due_on == date(2027, 3, 4)  # 12 months after the review
        assert [r.url for r in article.references] == [
            "https://medlineplus.gov/druginfo/meds/a682167.html"
        ]
        revisions = db.session.scalars(db.select(ArticleRevision)).all()
        assert [(r.number, r.editor_id, r.title) for r in revisions] == [
            (1, editor, "Azathioprine: what patients should know")
        ]
        assert revisions[0].pins == [
            {"tag_id": article.pins[0].tag_id, "name": "azathioprine", "position": 0}
        ]
        slug = article.slug
    page = editor_client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "<h2>Blood tests</h2>" in page
    assert 'class="wikilink" title="An immune-calming tablet.">Imuran</a>' in page
    assert 'href="https://medlineplus.gov/druginfo/meds/a682167.html"' in page
    assert "Clinically reviewed by Dr. Ada Reviewer, PharmD" in page
    # Readers see the overview opening the tag page.
    tag_page = editor_client.get("/tags/azathioprine").get_data(as_text=True)
    assert "Editors’ overview" in tag_page and "An opening paragraph." in tag_page


def test_problems_come_back_on_the_form_with_what_was_typed(app, editor_client):
    response = editor_client.post(
        "/editorial/articles/new",
        data=article_form(
            title="",
            body="",
            **{"pins-0-tag": "no such drug", "references-0-url": "medlineplus.gov"},
        ),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Give the article a title." in html
    assert "Write the article before publishing it." in html
    assert "We don’t have a tag called “no such drug”." in html
    assert "isn’t a web address" in html
    assert 'value="no such drug"' in html  # nothing typed is lost
    with app.app_context():
        assert the_article() is None


def test_every_save_keeps_a_revision_and_the_history_shows_who_made_each(app, editor_client):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
        other = make_user(pseudonym="sam_editor", email="sam@example.test", role="editor")
        other_email = other.email
    editor_client.post("/editorial/articles/new", data=article_form())
    with app.app_context():
        article_id = the_article().id
    edited = article_form(
        body="An opening paragraph.\n\n## Blood tests\n\nMonthly checks at first, see [[Imuran]].",
        note="Blood test timing",
        **{"pins-0-position": "0"},
    )
    assert editor_client.post(f"/editorial/articles/{article_id}", data=edited).status_code == 302
    from tests.factories import login

    second = app.test_client()
    login(second, other_email)
    edited_again = dict(edited, title="Azathioprine: a guide", note="Shorter title")
    assert second.post(f"/editorial/articles/{article_id}", data=edited_again).status_code == 302
    with app.app_context():
        revisions = db.session.scalars(
            db.select(ArticleRevision).order_by(ArticleRevision.number)
        ).all()
        assert [(r.number, r.editor.pseudonym, r.note) for r in revisions] == [
            (1, "dana_editor", "First version"),
            (2, "dana_editor", "Blood test timing"),
            (3, "sam_editor", "Shorter title"),
        ]
        assert the_article().slug == "azathioprine-what-patients-should-know"  # links keep working
    html = editor_client.get(f"/editorial/articles/{article_id}/history").get_data(as_text=True)
    assert html.index("Revision 3") < html.index("Revision 2") < html.index("Revision 1")
    assert "sam_editor" in html and "Blood test timing" in html


def test_compare_shows_words_removed_and_added_with_labels(app, editor_client):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
    editor_client.post("/editorial/articles/new", data=article_form())
    with app.app_context():
        article_id = the_article().id
    editor_client.post(
        f"/editorial/articles/{article_id}",
        data=article_form(
            body="An opening paragraph.\n\n## Blood tests\n\nMonthly checks, see [[Imuran]].",
            reviewer_name="Dr. Bo Reviewer",
        ),
    )
    response = editor_client.get(f"/editorial/articles/{article_id}/compare?from=1&to=2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<span class="diff-label">Changed</span>' in html
    assert '<del><span class="visually-hidden">[removed: </span>Regular' in html
    assert '<ins><span class="visually-hidden">[added: </span>Monthly' in html
    assert ">Clinical reviewer</h2>" in html and "Bo" in html
    assert "Unchanged: Title, Kind, Status, Summary" in html
    # The defaults compare the latest revision with the one before.
    latest = editor_client.get(f"/editorial/articles/{article_id}/compare").get_data(as_text=True)
    assert "From revision 1" in latest and "to revision 2" in latest
    first = editor_client.get(f"/editorial/articles/{article_id}/compare?to=1")
    assert "nothing earlier to compare" in first.get_data(as_text=True)
    assert (
        editor_client.get(f"/editorial/articles/{article_id}/compare?from=1&to=9").status_code
        == 404
    )


def test_live_preview_renders_like_the_article_page(app, editor_client):
    with app.app_context():
        make_tag(name="azathioprine", definition="A tablet.", aliases=["Imuran"])
    response = editor_client.post(
        "/editorial/preview", json={"body": "# Heading\n\n[[Imuran]] <script>x()</script>"}
    )
    html = response.get_json()["html"]
    assert "<h2>Heading</h2>" in html  # articles own h1
    assert 'href="/tags/azathioprine"' in html and 'title="A tablet."' in html
    assert "<script>" not in html


def test_preview_button_works_without_javascript_and_saves_nothing(app, editor_client):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
    data = article_form(body="## Dosing\n\nOnce a day.", preview="y")
    del data["save"]
    html = editor_client.post("/editorial/articles/new", data=data).get_data(as_text=True)
    assert 'id="preview-heading"' in html and "<h2>Dosing</h2>" in html
    assert "Once a day." in html
    with app.app_context():
        assert the_article() is None


def test_drafts_are_for_editors_only(app, editor_client, client):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
    editor_client.post("/editorial/articles/new", data=article_form(status="draft"))
    with app.app_context():
        slug = the_article().slug
    assert client.get(f"/articles/{slug}").status_code == 404
    assert "Draft: only editors" in editor_client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "Editors’ overview" not in client.get("/tags/azathioprine").get_data(as_text=True)


def test_pin_order_decides_the_order_on_the_tag_page(app, client):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        make_article(title="Third", pinned_to=[tag], position=30, kind="comparison")
        make_article(title="The overview", pinned_to=[tag], position=0)
        make_article(title="Second", pinned_to=[tag], position=12, kind="comparison")
    html = client.get("/tags/azathioprine").get_data(as_text=True)
    assert html.index("The overview") < html.index("Second") < html.index("Third")


def test_reordering_pins_through_the_editor_updates_the_cached_tag_page(app, client, editor_client):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        make_article(title="Comparing A", pinned_to=[tag], position=10, kind="comparison")
        moved = make_article(title="Comparing B", pinned_to=[tag], position=20, kind="comparison")
        moved_id = moved.id
    before = client.get("/tags/azathioprine").get_data(as_text=True)  # cached for readers
    assert before.index("Comparing A") < before.index("Comparing B")
    form = article_form(
        title="Comparing B",
        kind="comparison",
        **{"pins-0-tag": "azathioprine", "pins-0-position": "5"},
    )
    assert editor_client.post(f"/editorial/articles/{moved_id}", data=form).status_code == 302
    after = client.get("/tags/azathioprine").get_data(as_text=True)
    assert after.index("Comparing B") < after.index("Comparing A")


def test_a_comparison_shows_on_the_page_of_every_drug_it_compares(app, client, editor_client):
    with app.app_context():
        for name in ("azathioprine", "methotrexate", "mycophenolate"):
            make_tag(name=name)
        make_tag(name="Lupus", kind="condition")
    form = article_form(
        title="Azathioprine compared with methotrexate and mycophenolate",
        kind="comparison",
        summary="Side by side.",
        **{
            "pins-0-tag": "azathioprine",
            "pins-1-tag": "methotrexate",
            "pins-2-tag": "mycophenolate",
            "pins-2-position": "",
        },
    )
    assert editor_client.post("/editorial/articles/new", data=form).status_code == 302
    with app.app_context():
        assert sorted((p.tag.name, p.position) for p in the_article().pins) == [
            ("azathioprine", 10),
            ("methotrexate", 11),
            ("mycophenolate", 12),
        ]
    for slug in ("azathioprine", "methotrexate", "mycophenolate"):
        html = client.get(f"/tags/{slug}").get_data(as_text=True)
        assert "Azathioprine compared with methotrexate and mycophenolate" in html, slug
        assert "Comparison · from our editors" in html
    assert "compared with methotrexate" not in client.get("/tags/lupus").get_data(as_text=True)


def test_review_due_after_twelve_months(app, editor_client, client):
    today = utcnow().date()
    with app.app_context():
        tag = make_tag(name="azathioprine")
        make_article(
            title="Reviewed 13 months ago",
            pinned_to=[tag],
            last_reviewed_on=editorial.add_months(today, -13),
        )
        make_article(
            title="Reviewed 11 months ago",
            pinned_to=[tag],
            position=5,
            last_reviewed_on=editorial.add_months(today, -11),
        )
        old = db.session.scalar(db.select(Article).where(Article.title.like("%13%")))
        recent = db.session.scalar(db.select(Article).where(Article.title.like("%11%")))
        # The factory sets due dates 365 days on; the editor's default is 12 calendar months.
        for article in (old, recent):
            article.review_due_on = editorial.default_review_due(article.last_reviewed_on)
        db.session.commit()
        assert old.is_review_due and not recent.is_review_due
        review = editorial.needs_review(viewer=make_user(role="editor"))
        assert [a.title for a in review.overdue] == ["Reviewed 13 months ago"]
        assert [a.title for a in review.due_soon] == ["Reviewed 11 months ago"]
    html = editor_client.get("/editorial/review").get_data(as_text=True)
    overdue = html[html.index('id="overdue-heading"') : html.index('id="soon-heading"')]
    assert "Reviewed 13 months ago" in overdue and "Review due" in overdue
    assert "Reviewed 11 months ago" not in overdue
    assert '<span class="count count-urgent">1<' in html  # the editors' navigation
    # Readers see only when it was last reviewed, never "review due".
    public = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "Last reviewed on" in public and "Review due" not in public


def test_add_months_keeps_the_day_or_the_end_of_the_month():
    assert editorial.add_months(date(2026, 3, 4), 12) == date(2027, 3, 4)
    assert editorial.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert editorial.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert editorial.add_months(date(2026, 3, 4), -13) == date(2025, 2, 4)


def test_review_due_date_can_be_set_but_not_before_the_review(app, editor_client):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
    html = editor_client.post(
        "/editorial/articles/new", data=article_form(review_due_on="2026-01-01")
    ).get_data(as_text=True)
    assert "must come after the last review" in html
    editor_client.post("/editorial/articles/new", data=article_form(review_due_on="2026-09-04"))
    with app.app_context():
        assert the_article().review_due_on == date(2026, 9, 4)


def test_the_editor_list_and_new_article_from_a_tag_page(app, editor_client):
    with app.app_context():
        tag = make_tag(name="azathioprine")
        make_article(title="Old overview", pinned_to=[tag], status="draft")
    html = editor_client.get("/editorial").get_data(as_text=True)
    assert "Old overview" in html and "Draft" in html
    form = editor_client.get("/editorial/articles/new?tag=azathioprine").get_data(as_text=True)
    assert 'name="pins-0-tag" type="text" value="azathioprine"' in form
    tag_page = editor_client.get("/tags/azathioprine").get_data(as_text=True)
    assert "/editorial/articles/new?tag=azathioprine" in tag_page  # editors' shortcut


def test_today_is_shown_as_reviewed_dates(app):
    with app.app_context():
        article = make_article(last_reviewed_on=utcnow().date() - timedelta(days=400))
        article.review_due_on = None
        db.session.commit()
        review = editorial.needs_review(viewer=make_user(role="admin"))
        assert review.unreviewed == [article]


def test_the_tag_page_offers_editors_the_overview_it_has_or_a_new_one(app, editor_client):
    with app.app_context():
        aza = make_tag(name="azathioprine")
        make_tag(name="methotrexate")
        overview_id = make_article(title="Azathioprine overview", pinned_to=[aza]).id
    page = editor_client.get("/tags/azathioprine").get_data(as_text=True)
    assert f'href="/editorial/articles/{overview_id}">Edit the overview' in page
    assert "Write an overview" not in page
    assert "/editorial/articles/new?tag=azathioprine&amp;kind=comparison" in page
    bare = editor_client.get("/tags/methotrexate").get_data(as_text=True)
    assert "Write an overview" in bare and "Edit the overview" not in bare


def test_a_tag_has_one_published_overview(app, editor_client):
    with app.app_context():
        aza = make_tag(name="azathioprine", aliases=["Imuran"])
        first = make_article(title="Azathioprine overview", pinned_to=[aza])
        first_id, aza_id = first.id, aza.id
    desk = editor_client.get(f"/editorial/tags/{aza_id}").get_data(as_text=True)
    assert f'href="/editorial/articles/{first_id}">Edit the overview of azathioprine' in desk
    assert "Write an overview of azathioprine" not in desk
    typed = article_form(title="A second overview")
    html = editor_client.post("/editorial/articles/new", data=typed).get_data(as_text=True)
    assert "azathioprine already has an overview, “Azathioprine overview”" in html
    assert 'value="A second overview"' in html  # what was typed comes back
    assert (
        editor_client.post("/editorial/articles/new", data={**typed, "status": "draft"}).status_code
        == 302
    )  # a draft to work on is fine
    editor_client.post(f"/editorial/articles/{first_id}", data=article_form(status="draft"))
    with app.app_context():
        second = db.session.scalar(db.select(Article).where(Article.title == "A second overview"))
        second_id = second.id
    published = editor_client.post(f"/editorial/articles/{second_id}", data=typed)
    assert published.status_code == 302  # once the first is a draft again
