"""The home page."""

from __future__ import annotations

from tests.factories import make_post, make_tag


def test_home_explains_cohort_lists_tags_by_kind_and_latest_published(app, client):
    with app.app_context():
        drug = make_tag(name="mesalamine")
        make_tag(name="Ulcerative colitis", kind="condition")
        make_tag(name="Pregnancy", kind="topic")
        make_post(title="Lialda and a long walk", tags=[drug])
        make_post(title="Not yet reviewed", tags=[drug], status="pending")
    html = client.get("/").get_data(as_text=True)
    assert "Living with a medicine" in html
    for heading in ("Drugs", "Conditions", "Topics"):
        assert f"<h3>{heading}</h3>" in html
    assert 'href="/tags/ulcerative-colitis"' in html
    assert "Lialda and a long walk" in html
    assert "Not yet reviewed" not in html


def test_every_page_has_the_medical_advice_and_reporting_footer(client):
    for path in ("/", "/tags", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        assert "Personal experiences, not medical advice." in html
        assert "MedWatch" in html and "Yellow Card" in html


def test_home_works_on_an_empty_database(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Nothing has been posted yet." in response.get_data(as_text=True)
