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


def test_the_home_page_leads_on_to_every_post_newest_first(app, client):
    import re

    from tests.factories import make_post

    with app.app_context():
        for i in range(25):
            make_post(title=f"Post number {i:02d}")
        make_post(title="Held one", status="pending")
    home = client.get("/").get_data(as_text=True)
    assert "Post number 24" in home and "Post number 14" not in home
    more = re.search(r'href="(/latest\?before=[^"]+)"[^>]*>More stories and threads', home)
    seen, url = [], more.group(1).replace("&amp;", "&")
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += re.findall(r"Post number (\d\d)", html)
        nxt = re.search(r'href="(/latest\?before=[^"]+)" rel="next"', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
        assert "Held one" not in html
    assert seen == [f"{i:02d}" for i in range(14, -1, -1)]


def test_guidelines_and_privacy_are_linked_from_every_page_and_from_sign_up(client):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/guidelines">Community guidelines' in home and 'href="/privacy">Privacy' in home
    guidelines = client.get("/guidelines").get_data(as_text=True)
    assert "Share experience, not instructions" in guidelines
    assert 'href="/account/standing"' in guidelines and 'href="/moderation/log"' in guidelines
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "No trackers" in privacy and 'href="/account"' in privacy
    signup = client.get("/signup").get_data(as_text=True)
    assert 'href="/guidelines">community guidelines' in signup and 'href="/privacy"' in signup
