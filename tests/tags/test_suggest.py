"""The tag field's suggestions: canonical tags by name or alias prefix, as JSON."""

from __future__ import annotations

import pytest

from tests.factories import make_tag


@pytest.fixture
def tags(app):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran", "Azasan", "AZA"])
        make_tag(name="mercaptopurine", aliases=["Purinethol", "6-MP"])
        make_tag(name="Crohn's disease", kind="condition", aliases=["Crohn disease"])
        make_tag(name="Immunisations", kind="topic")


def suggest(client, q: str) -> list[dict]:
    response = client.get("/tags/suggest", query_string={"q": q})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()["results"]


def test_a_brand_name_finds_the_canonical_tag_and_says_which_alias_matched(client, tags):
    results = suggest(client, "Im")
    assert [(r["name"], r["alias"]) for r in results] == [
        ("Immunisations", None),  # a tag's own name first
        ("azathioprine", "Imuran"),
    ]
    assert results[1] == {
        "name": "azathioprine",
        "slug": "azathioprine",
        "kind": "drug",
        "kind_label": "Drug",
        "alias": "Imuran",
    }
    assert [(r["name"], r["alias"]) for r in suggest(client, "imur")] == [
        ("azathioprine", "Imuran")
    ]


def test_own_names_match_case_insensitively_and_each_tag_appears_once(client, tags):
    results = suggest(client, "AZA")
    assert [(r["name"], r["alias"]) for r in results] == [("azathioprine", None)]


def test_punctuation_and_digits_match_through_the_slug(client, tags):
    assert [r["slug"] for r in suggest(client, "crohns")] == ["crohns-disease"]
    assert [(r["name"], r["alias"]) for r in suggest(client, "6-m")] == [("mercaptopurine", "6-MP")]


@pytest.mark.parametrize("q", ["", "   ", "%", "_", "zzz"])
def test_nothing_typed_wildcards_and_unknown_prefixes_find_nothing(client, tags, q):
    assert suggest(client, q) == []


def test_at_most_eight_suggestions(app, client):
    with app.app_context():
        for i in range(12):
            make_tag(name=f"betablocker {i:02d}")
    results = suggest(client, "beta")
    assert len(results) == 8
    assert results[0]["name"] == "betablocker 00"
