"""Articles as readers see them."""

from __future__ import annotations

from datetime import date

from tests.factories import make_article, make_tag, make_user


def test_article_page_shows_reviewer_date_body_and_sources(app, client):
    with app.app_context():
        tag = make_tag(name="azathioprine", definition="An immunosuppressant.", aliases=["Imuran"])
        make_article(
            title="Azathioprine: what to know",
            slug="azathioprine-overview",
            pinned_to=[tag],
            body="## Blood tests\n\nYou will have regular checks. See [[Imuran]] and [[Nope]].",
            reviewer_name="Dr. Ada Reviewer",
            reviewer_credentials="PharmD",
            last_reviewed_on=date(2026, 3, 4),
            author=make_user(pseudonym="dana_editor", role="editor"),
            references=[
                {
                    "title": "Azathioprine",
                    "publisher": "MedlinePlus",
                    "url": "https://medlineplus.gov/druginfo/meds/a682167.html",
                }
            ],
        )
    response = client.get("/articles/azathioprine-overview")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1 id="article-title">Azathioprine: what to know</h1>' in html
    assert "<h2>Blood tests</h2>" in html
    assert "Clinically reviewed by Dr. Ada Reviewer, PharmD" in html
    assert 'Last reviewed on <time datetime="2026-03-04">4 Mar 2026</time>' in html
    assert "dana_editor" in html
    assert 'href="https://medlineplus.gov/druginfo/meds/a682167.html"' in html
    # [[wiki]] links resolve through aliases to the canonical page; unknown names stay text.
    assert (
        '<a href="/tags/azathioprine" class="wikilink" title="An immunosuppressant.">Imuran</a>'
        in html
    )
    assert "and Nope." in html


def test_draft_articles_are_not_found_by_readers(app, client):
    with app.app_context():
        make_article(slug="secret-draft", status="draft")
    assert client.get("/articles/secret-draft").status_code == 404


def test_unknown_article_is_404(client):
    assert client.get("/articles/nothing-here").status_code == 404
