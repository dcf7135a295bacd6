"""Drug mentions: names from the alias table found in a post's text are offered as tags for the
author to confirm (never applied silently), and ambiguous names ask which drug was meant."""

from __future__ import annotations

import pytest

from forum.domain.services import alias_table, curation, mentions
from forum.extensions import db
from tests.factories import make_tag, make_user, signed_in


@pytest.fixture
def drugs(app):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran", "azathiaprine"])
        make_tag(name="mercaptopurine", aliases=["6-MP", "Purinethol"])
        make_tag(name="methylprednisolone", aliases=["Medrol"])
        make_tag(name="mesalamine", aliases=["Asacol", "Asacol HD", "mesalazine"])
        make_tag(name="Crohn's disease", kind="condition")
        make_tag(name="Side effects", kind="topic")
        editor = make_user(role="editor")
        alias_table.add_ambiguous_name(
            actor=editor,
            name="MP",
            candidate_names=["mercaptopurine", "methylprednisolone"],
            note="Mercaptopurine or methylprednisolone.",
        )


def found(text: str, chosen=()) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
    result = mentions.find(text, chosen=chosen)
    return (
        [(m.tag.name, m.written) for m in result.tags],
        [(a.written, [t.name for t in a.candidates]) for a in result.ambiguous],
    )


def test_names_and_aliases_are_found_as_whole_words_in_any_case(app, drugs):
    with app.app_context():
        tags, ambiguous = found(
            "Week 3 on IMURAN (azathiaprine?) for my crohn’s disease; asacol hd before that. "
            "Imuranx and preazathioprine are not words we know. Side effects: few."
        )
        assert tags == [
            ("azathioprine", "IMURAN"),
            ("Crohn's disease", "crohn’s disease"),
            ("mesalamine", "asacol hd"),
        ]  # once per drug, in order; topics are not offered
        assert ambiguous == []


def test_the_longest_name_wins_and_ambiguous_names_ask(app, drugs):
    with app.app_context():
        tags, ambiguous = found("I was on 6-MP, then my doctor said MP again.")
        assert tags == [("mercaptopurine", "6-MP")]
        assert ambiguous == []  # mercaptopurine was already found, so "MP" is settled
        tags, ambiguous = found("They want me on MP after the steroid course.")
        assert tags == []
        assert ambiguous == [("MP", ["mercaptopurine", "methylprednisolone"])]


def test_tags_already_chosen_are_not_offered_again(app, drugs):
    with app.app_context():
        result = mentions.find_for_draft("Imuran and Asacol", ["azathioprine"])
        assert [m.tag.name for m in result.tags] == ["mesalamine"]
        assert not mentions.find_for_draft("Imuran", ["imuran"])  # typed by another name


def test_the_json_endpoint_offers_what_the_compose_script_shows(app, client, drugs):
    assert client.post("/tags/mentions", json={"text": "Imuran"}).status_code == 401
    signed_in(app, client)
    data = client.post(
        "/tags/mentions", json={"text": "Imuran, and MP later", "tags": "Crohn's disease"}
    ).get_json()
    assert data["tags"] == [
        {"name": "azathioprine", "slug": "azathioprine", "kind_label": "Drug", "written": "Imuran"}
    ]
    assert data["ambiguous"][0]["written"] == "MP"
    assert [c["name"] for c in data["ambiguous"][0]["candidates"]] == [
        "mercaptopurine",
        "methylprednisolone",
    ]
    assert client.post("/tags/mentions", data="not json").status_code == 400


def compose(**extra) -> dict:
    return {
        "kind": "story",
        "title": "A year on Imuran",
        "body": "Imuran helped. My GI says MP might be next, and Asacol before that.",
        "tags": "Crohn's disease",
        **extra,
    }


def test_preview_lists_the_drugs_it_noticed_and_asks_about_ambiguous_ones(app, client, drugs):
    signed_in(app, client, joined=None)
    html = client.post("/posts/new", data=compose(preview="y")).get_data(as_text=True)
    assert "We noticed these drugs in your text" in html
    assert 'name="add_tags" value="azathioprine"' in html
    assert "(you wrote “Imuran”)" in html
    assert 'name="add_tags" value="mesalamine"' in html
    assert "“MP” can mean more than one drug. Which did you mean?" in html
    assert 'name="add_tags" value="methylprednisolone"' in html
    # Nothing was added to the tags on its own.
    assert 'name="tags" spellcheck="false" type="text" value="Crohn&#39;s disease"' in html


def test_ticked_drugs_are_added_to_the_tags_and_published_with_the_post(app, client, drugs):
    signed_in(app, client)
    html = client.post(
        "/posts/new", data=compose(preview="y", add_tags=["azathioprine", "mercaptopurine"])
    ).get_data(as_text=True)
    assert "Crohn&#39;s disease, azathioprine, mercaptopurine" in html
    assert "“MP” can mean more than one drug" not in html  # answered
    assert 'value="azathioprine"' not in html.split('id="drug-mentions"')[1]
    response = client.post("/posts/new", data=compose(publish="y", add_tags=["azathioprine"]))
    assert response.status_code == 302
    with app.app_context():
        from forum.domain.models import Post

        post = db.session.scalar(db.select(Post))
        assert sorted(t.name for t in post.tags) == ["Crohn's disease", "azathioprine"]


def test_publishing_never_adds_tags_that_were_not_chosen(app, client, drugs):
    signed_in(app, client)
    assert client.post("/posts/new", data=compose(publish="y")).status_code == 302
    with app.app_context():
        from forum.domain.models import Post

        assert [t.name for t in db.session.scalar(db.select(Post)).tags] == ["Crohn's disease"]


def test_ambiguous_names_cannot_become_aliases(app, drugs):
    with app.app_context():
        editor = make_user(role="editor")
        from forum.domain.models import AliasKind, Tag
        from forum.errors import DomainError

        tag = db.session.scalar(db.select(Tag).where(Tag.name == "mercaptopurine"))
        with pytest.raises(DomainError, match="can mean more than one drug"):
            curation.add_alias(tag, actor=editor, name="mp", kind=AliasKind.OTHER)


def test_editors_list_and_remove_ambiguous_names(app, drugs, editor_client):
    html = editor_client.get("/editorial/ambiguous-names").get_data(as_text=True)
    assert "mercaptopurine, methylprednisolone" in html
    response = editor_client.post(
        "/editorial/ambiguous-names",
        data={"name": "thiopurine", "candidates": "azathioprine, 6-MP", "note": "A family."},
    )
    assert response.status_code == 302
    with app.app_context():
        assert found("a thiopurine")[1] == [("thiopurine", ["azathioprine", "mercaptopurine"])]
        from forum.domain.models import AmbiguousName

        ambiguous_id = db.session.scalar(
            db.select(AmbiguousName.id).where(AmbiguousName.name == "thiopurine")
        )
    html = editor_client.post(
        "/editorial/ambiguous-names", data={"name": "Imuran", "candidates": "azathioprine"}
    ).get_data(as_text=True)
    assert "already leads to azathioprine" in html
    editor_client.post(f"/editorial/ambiguous-names/{ambiguous_id}/remove")
    with app.app_context():
        assert found("a thiopurine") == ([], [])
