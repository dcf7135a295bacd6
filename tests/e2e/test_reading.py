"""Journey 1: a visitor opens a drug by its brand name, lands on the generic drug's page, reads
the pinned overview, follows "View more" to the third page and opens a story. With and without
JavaScript: reading must never need it."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_visitor_reads_a_drug_by_its_brand_name(new_session, javascript):
    session = new_session(javascript=javascript)
    page = session.page

    session.goto("/tags/imuran")
    assert page.url.endswith("/tags/azathioprine")  # the brand name leads to the generic's page
    assert page.get_by_role("heading", level=1).inner_text().strip().lower() == "azathioprine"

    overview = page.locator("article.overview").first
    assert overview.is_visible()
    assert "Last reviewed" in overview.inner_text()
    # The overview comes before the members' stories and threads.
    headings = page.locator("h2").all_inner_texts()
    assert any(h.startswith("Stories and threads") for h in headings)
    overview_top = overview.bounding_box()["y"]
    posts_top = page.locator("#posts-heading").bounding_box()["y"]
    assert overview_top < posts_top
    if not javascript:
        session.screenshot("tag-page-no-js")

    first_titles = page.locator("#posts .post-card h3").all_inner_texts()
    assert len(first_titles) == 10
    for expected_page in (2, 3):
        page.get_by_role("link", name="View more").click()
        page.wait_for_load_state()
        assert "before=" in page.url
        heading = page.get_by_role("heading", level=2, name=re.compile("More stories"))
        assert heading.is_visible()
        titles = page.locator("#posts .post-card h3").all_inner_texts()
        assert titles and not set(titles) & set(first_titles), expected_page
        first_titles += titles

    story = page.locator("#posts .post-card").filter(has_text="Story").first
    title = story.locator("h3").inner_text().strip()
    story.get_by_role("link", name=title).click()
    page.wait_for_load_state()
    assert re.search(r"/posts/\d+", page.url)
    assert page.get_by_role("heading", level=1).inner_text().strip() == title


def test_the_brand_name_search_offers_the_drug_page(new_session):
    session = new_session(viewport=DESKTOP)
    page = session.page
    session.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Search").click()
    search = page.get_by_role("searchbox").first
    search.fill("Imuran")
    search.press("Enter")
    page.wait_for_load_state()
    assert "/search" in page.url
    page.get_by_role("link", name=re.compile("Go to the azathioprine page", re.I)).click()
    page.wait_for_load_state()
    assert page.url.endswith("/tags/azathioprine")


def test_pages_fit_a_small_phone_and_200_percent_zoom(new_session):
    """320 CSS px wide (WCAG reflow), and 640 px: a 1280 px window zoomed to 200%."""
    for width in (320, 640):
        session = new_session(viewport={"width": width, "height": 800})
        for path in ("/", "/tags/azathioprine", "/search?q=tired", "/signup", "/login"):
            session.goto(path)
            overflow = session.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (width, path, overflow)
    assert PHONE["width"] > 320
