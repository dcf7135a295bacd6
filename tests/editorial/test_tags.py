"""Editors curating tags: create, edit, rename (old names and URLs keep working), aliases,
relations, merge and undo; wiki links and the signed-out page cache follow every change."""

from __future__ import annotations

import json

import pytest

from forum.domain.models import (
    AliasKind,
    ArticlePin,
    FollowMode,
    ModAction,
    ModerationAction,
    Post,
    PostTag,
    RelationKind,
    Tag,
    TagAlias,
    TagFollow,
    TagRelation,
    utcnow,
)
from forum.domain.services import curation, merging
from forum.extensions import db
from tests.editorial.conftest import alias_names, tag_named
from tests.factories import make_article, make_post, make_reply, make_tag, make_user, relate


def tag_form(**overrides) -> dict:
    data = {
        "kind": "drug",
        "name": "",
        "definition": "",
        "description": "",
        "old_name_kind": "former",
    }
    data.update(overrides)
    return data


def body_html(post_id: int) -> str:
    return db.session.get(Post, post_id).body_html


def test_editor_creates_a_tag_and_links_to_it_start_working(app, editor_client, client):
    with app.app_context():
        post = make_post(body="Has anyone tried [[tofacitinib]]?")
        post_id = post.id
        assert "wikilink" not in body_html(post_id)  # unknown names are plain text
    response = editor_client.post(
        "/editorial/tags/new",
        data=tag_form(name="tofacitinib", definition="A JAK inhibitor tablet."),
    )
    assert response.status_code == 302
    with app.app_context():
        tag = tag_named("tofacitinib")
        assert response.headers["Location"].endswith(f"/editorial/tags/{tag.id}")
        assert 'href="/tags/tofacitinib" class="wikilink" title="A JAK inhibitor tablet."' in (
            body_html(post_id)
        )
        entry = db.session.scalar(db.select(ModerationAction))
        assert (entry.action, entry.tag_id) == (ModAction.EDIT_TAG, tag.id)
    assert client.get("/tags/tofacitinib").status_code == 200


def test_names_must_be_free_everywhere(app, editor_client):
    with app.app_context():
        make_tag(name="azathioprine", aliases=["Imuran"])
    html = editor_client.post("/editorial/tags/new", data=tag_form(name="imuran")).get_data(
        as_text=True
    )
    assert "is already another name for azathioprine" in html


def test_a_signed_out_tag_page_shows_an_edit_at_once(app, client, editor_client):
    with app.app_context():
        tag = make_tag(name="azathioprine", definition="Old definition.")
        tag_id = tag.id
        make_tag(name="Lupus", kind="condition")
        relate(tag, "used_for", tag_named("Lupus"))
    assert "Old definition." in client.get("/tags/azathioprine").get_data(as_text=True)
    assert "Old definition." in client.get("/tags/lupus").get_data(as_text=True)  # related
    assert client.get("/tags/azathioprine").get_data(as_text=True).count("Old definition.")
    editor_client.post(
        f"/editorial/tags/{tag_id}", data=tag_form(name="azathioprine", definition="New one.")
    )
    assert "New one." in client.get("/tags/azathioprine").get_data(as_text=True)
    assert "New one." in client.get("/tags/lupus").get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalar(
            db.select(ModerationAction).where(ModerationAction.reason == "Edited azathioprine")
        )
        assert json.loads(entry.details) == {"definition": ["Old definition.", "New one."]}


def test_rename_keeps_everything_and_the_old_name_and_url_still_lead_there(
    app, client, editor_client
):
    with app.app_context():
        tag = make_tag(
            name="mesalamine", definition="Works on the bowel lining.", aliases=["Lialda"]
        )
        tag_id = tag.id
        crohns = make_tag(name="Ulcerative colitis", kind="condition")
        post = make_post(tags=[tag, crohns], body="I take [[mesalamine]], also called [[Lialda]].")
        post_id = post.id
        reader = make_user()
        db.session.add(TagFollow(user_id=reader.id, tag_id=tag.id, mode=FollowMode.NOTIFY))
        make_article(title="Mesalamine overview", pinned_to=[tag])
        db.session.commit()
    client.get("/tags/ulcerative-colitis")  # cached with the old chip name
    response = editor_client.post(
        f"/editorial/tags/{tag_id}",
        data=tag_form(name="mesalazine", definition="Works on the bowel lining."),
    )
    assert response.status_code == 302
    with app.app_context():
        tag = db.session.get(Tag, tag_id)
        assert (tag.name, tag.slug) == ("mesalazine", "mesalazine")
        assert alias_names(tag) == {"Lialda", "mesalamine"}
        former = next(a for a in tag.aliases if a.name == "mesalamine")
        assert (former.kind, former.slug) == (AliasKind.FORMER, "mesalamine")
        assert (
            db.session.scalar(db.select(PostTag.post_id).where(PostTag.tag_id == tag_id)) == post_id
        )
        assert (
            db.session.scalar(db.select(TagFollow.mode).where(TagFollow.tag_id == tag_id))
            is FollowMode.NOTIFY
        )
        assert db.session.scalar(db.select(ArticlePin.tag_id)) == tag_id
        # Both links now point to the new address.
        assert body_html(post_id).count('href="/tags/mesalazine"') == 2
    old = client.get("/tags/mesalamine")
    assert old.status_code == 301 and old.headers["Location"].endswith("/tags/mesalazine")
    page = client.get("/tags/mesalazine").get_data(as_text=True)
    assert "<h1>mesalazine</h1>" in page and "Mesalamine overview" in page
    assert "Also known as <strong>Lialda</strong>" in page  # the former name stays quiet
    colitis = client.get("/tags/ulcerative-colitis").get_data(as_text=True)
    assert ">mesalazine</a>" in colitis  # post cards on other tag pages


def test_rename_to_one_of_its_own_names_swaps_them(app, editor_client):
    with app.app_context():
        tag = make_tag(name="mesalamine", aliases=["mesalazine"], alias_kind="other")
        tag_id = tag.id
    editor_client.post(
        f"/editorial/tags/{tag_id}", data=tag_form(name="mesalazine", old_name_kind="other")
    )
    with app.app_context():
        tag = db.session.get(Tag, tag_id)
        assert tag.name == "mesalazine"
        assert [(a.name, a.kind) for a in tag.aliases] == [("mesalamine", AliasKind.OTHER)]


def test_adding_and_removing_an_alias_updates_wiki_links_in_posts_and_replies(
    app, client, editor_client
):
    with app.app_context():
        tag = make_tag(name="azathioprine", definition="An immune-calming tablet.")
        tag_id = tag.id
        post = make_post(tags=[tag], body="Started [[Imuran]] today.")
        reply = make_reply(post, body="[[imuran]] worked for me")
        post_id, reply_id = post.id, reply.id
        assert "wikilink" not in body_html(post_id)
    response = editor_client.post(
        f"/editorial/tags/{tag_id}/aliases", data={"alias-name": "Imuran", "alias-kind": "brand"}
    )
    assert response.status_code == 302
    with app.app_context():
        from forum.domain.models import Reply

        link = '<a href="/tags/azathioprine" class="wikilink" title="An immune-calming tablet.">'
        assert link + "Imuran</a>" in body_html(post_id)
        assert link + "imuran</a>" in db.session.get(Reply, reply_id).body_html
        alias = next(a for a in db.session.get(Tag, tag_id).aliases if a.name == "Imuran")
        alias_id = alias.id
        assert alias.source == "curated"
    assert "Also known as <strong>Imuran</strong>" in client.get("/tags/azathioprine").get_data(
        as_text=True
    )
    assert editor_client.post(f"/editorial/aliases/{alias_id}/remove").status_code == 302
    with app.app_context():
        assert "wikilink" not in body_html(post_id)
        assert "Started Imuran today." in body_html(post_id)
    assert client.get("/tags/imuran").status_code == 404
    assert "Also known as" not in client.get("/tags/azathioprine").get_data(as_text=True)


def test_an_alias_taken_by_another_tag_is_refused_on_the_form(app, editor_client):
    with app.app_context():
        make_tag(name="mercaptopurine", aliases=["6-MP"])
        tag_id = make_tag(name="azathioprine").id
    html = editor_client.post(
        f"/editorial/tags/{tag_id}/aliases", data={"alias-name": "6-mp", "alias-kind": "other"}
    ).get_data(as_text=True)
    assert "already another name for mercaptopurine" in html
    assert 'value="6-mp"' in html


def test_relations_are_added_from_either_side_and_removed(app, client, editor_client):
    with app.app_context():
        aza = make_tag(name="azathioprine", definition="A thiopurine tablet.")
        make_tag(name="Crohn's disease", kind="condition", definition="Inflamed gut.")
        make_tag(name="methotrexate", definition="A weekly tablet.")
        crohns_id, aza_id = tag_named("Crohn's disease").id, aza.id
    client.get("/tags/azathioprine")
    editor_client.post(
        f"/editorial/tags/{crohns_id}/relations",
        data={"relation-kind": "treated_with", "relation-other": "azathioprine"},
    )
    html = editor_client.post(
        f"/editorial/tags/{aza_id}/relations",
        data={"relation-kind": "alternative_to", "relation-other": "Crohn's disease"},
    ).get_data(as_text=True)
    assert "Alternatives and interactions link two drugs." in html
    editor_client.post(
        f"/editorial/tags/{aza_id}/relations",
        data={"relation-kind": "alternative_to", "relation-other": "methotrexate"},
    )
    page = client.get("/tags/azathioprine").get_data(as_text=True)
    assert "<h3>Used for</h3>" in page and "Inflamed gut." in page
    assert "<h3>Alternatives</h3>" in page and "A weekly tablet." in page
    with app.app_context():
        relation = db.session.scalar(
            db.select(TagRelation).where(TagRelation.kind == RelationKind.USED_FOR)
        )
        assert (relation.subject_id, relation.object_id) == (aza_id, crohns_id)
        relation_id = relation.id
    editor_client.post(f"/editorial/relations/{relation_id}/remove", data={"back": crohns_id})
    assert "<h3>Used for</h3>" not in client.get("/tags/azathioprine").get_data(as_text=True)


# --- merging ---------------------------------------------------------------------------------


def snapshot() -> dict:
    """Everything a merge touches, as plain values."""
    return {
        "post_tags": sorted(
            (r.post_id, r.tag_id, r.listed_at, r.pinned_at)
            for r in db.session.scalars(db.select(PostTag))
        ),
        "follows": sorted(
            (f.user_id, f.tag_id, f.mode.value, f.created_at)
            for f in db.session.scalars(db.select(TagFollow))
        ),
        "pins": sorted(
            (p.article_id, p.tag_id, p.position) for p in db.session.scalars(db.select(ArticlePin))
        ),
        "relations": sorted(
            (r.subject_id, r.object_id, r.kind.value)
            for r in db.session.scalars(db.select(TagRelation))
        ),
        "aliases": sorted(
            (a.tag_id, a.name, a.slug, a.kind.value)
            for a in db.session.scalars(db.select(TagAlias))
        ),
        "tags": sorted(
            (t.id, t.name, t.name_key, t.slug, t.merged_into_id)
            for t in db.session.scalars(db.select(Tag))
        ),
    }


@pytest.fixture
def duplicates(app):
    """ "mycophenolate" and a duplicate "CellCept" tag, with overlapping posts, followers, pins
    and relations."""
    with app.app_context():
        keep = make_tag(name="mycophenolate", definition="An anti-rejection drug.")
        dup = make_tag(name="CellCept", definition="Brand of mycophenolate.", aliases=["Celcept"])
        lupus = make_tag(name="Lupus", kind="condition")
        aza = make_tag(name="azathioprine")
        only_dup = make_post(
            tags=[dup, lupus], title="Only on the duplicate", body="On [[CellCept]]."
        )
        both = make_post(tags=[keep, dup], title="On both")
        make_post(tags=[keep], title="Only on the survivor")
        both_link = db.session.get(PostTag, (both.id, dup.id))
        both_link.pinned_at = utcnow()
        alice, bob = make_user(pseudonym="alice"), make_user(pseudonym="bob")
        db.session.add_all(
            [
                TagFollow(user_id=alice.id, tag_id=dup.id, mode=FollowMode.DIGEST),
                TagFollow(user_id=bob.id, tag_id=dup.id, mode=FollowMode.NOTIFY),
                TagFollow(user_id=bob.id, tag_id=keep.id, mode=FollowMode.FEED),
            ]
        )
        overview = make_article(title="CellCept overview", pinned_to=[dup], position=0)
        shared = make_article(title="Shared comparison", pinned_to=[dup, keep], position=10)
        relate(dup, "used_for", lupus)
        relate(keep, "used_for", lupus)  # the duplicate's copy is dropped on merge
        relate(dup, "alternative_to", aza)
        relate(dup, "alternative_to", keep)  # would become self-referential
        db.session.commit()
        return {
            "keep": keep.id,
            "dup": dup.id,
            "only_dup": only_dup.id,
            "both": both.id,
            "alice": alice.id,
            "bob": bob.id,
            "overview": overview.id,
            "shared": shared.id,
            "aza": aza.id,
        }


def test_merge_moves_posts_follows_pins_and_names_and_redirects_old_urls(
    app, client, editor_client, duplicates
):
    ids = duplicates
    client.get("/tags/mycophenolate")  # cached before the merge
    response = editor_client.post(
        f"/editorial/tags/{ids['dup']}/merge",
        data={"merge-into": "mycophenolate", "merge-reason": "Duplicate of the generic"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/editorial/tags/{ids['keep']}")
    with app.app_context():
        posts_on_keep = set(
            db.session.scalars(db.select(PostTag.post_id).where(PostTag.tag_id == ids["keep"]))
        )
        assert {ids["only_dup"], ids["both"]} <= posts_on_keep and len(posts_on_keep) == 3
        assert db.session.scalar(db.select(PostTag).where(PostTag.tag_id == ids["dup"])) is None
        follows = dict(
            db.session.execute(
                db.select(TagFollow.user_id, TagFollow.mode).where(TagFollow.tag_id == ids["keep"])
            ).all()
        )
        assert follows == {ids["alice"]: FollowMode.DIGEST, ids["bob"]: FollowMode.FEED}
        pins = db.session.execute(db.select(ArticlePin.article_id, ArticlePin.tag_id)).all()
        assert sorted(pins) == sorted(
            [(ids["overview"], ids["keep"]), (ids["shared"], ids["keep"])]
        )
        keep = db.session.get(Tag, ids["keep"])
        assert alias_names(keep) == {"CellCept", "Celcept"}
        relations = db.session.execute(
            db.select(TagRelation.subject_id, TagRelation.object_id, TagRelation.kind)
        ).all()
        assert (ids["keep"], ids["aza"], RelationKind.ALTERNATIVE_TO) in relations
        assert len(relations) == 2  # used_for Lupus once, alternative to azathioprine
        dup = db.session.get(Tag, ids["dup"])
        assert dup.merged_into_id == ids["keep"] and dup.name == "CellCept"
        entry = db.session.scalar(
            db.select(ModerationAction).where(ModerationAction.action == ModAction.MERGE_TAGS)
        )
        assert entry.tag_id == ids["keep"] and entry.reason == "Duplicate of the generic"
        assert set(json.loads(entry.details)["posts"]) == {ids["only_dup"]}
        # [[CellCept]] links now lead to the survivor.
        assert 'href="/tags/mycophenolate"' in body_html(ids["only_dup"])
    for old in ("/tags/cellcept", "/tags/celcept"):
        moved = client.get(old)
        assert moved.status_code == 301 and moved.headers["Location"].endswith(
            "/tags/mycophenolate"
        )
    page = client.get("/tags/mycophenolate").get_data(as_text=True)
    assert "Only on the duplicate" in page and "CellCept overview" in page
    directory = client.get("/tags").get_data(as_text=True)
    assert 'href="/tags/cellcept">CellCept</a> <span aria-hidden="true">→</span>' in directory
    assert 'class="directory-name" href="/tags/cellcept"' not in directory
    assert client.get("/tags/suggest?q=cellc").get_json()["results"][0]["name"] == "mycophenolate"
    assert "Undo merge" in editor_client.get(f"/editorial/tags/{ids['keep']}").get_data(
        as_text=True
    )


def test_undo_merge_restores_everything_exactly(app, client, editor_client, duplicates):
    ids = duplicates
    with app.app_context():
        before = snapshot()
    editor_client.post(f"/editorial/tags/{ids['dup']}/merge", data={"merge-into": "mycophenolate"})
    with app.app_context():
        assert snapshot() != before
        entry_id = db.session.scalar(
            db.select(ModerationAction.id).where(ModerationAction.action == ModAction.MERGE_TAGS)
        )
    client.get("/tags/mycophenolate")
    response = editor_client.post(f"/editorial/merges/{entry_id}/undo")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/editorial/tags/{ids['dup']}")
    with app.app_context():
        assert snapshot() == before
        assert "/tags/cellcept" in body_html(ids["only_dup"])
        undo = db.session.scalar(
            db.select(ModerationAction).where(ModerationAction.action == ModAction.UNMERGE_TAGS)
        )
        assert json.loads(undo.details) == {"undoes": entry_id, "merged": ids["dup"]}
    assert client.get("/tags/cellcept").status_code == 200
    assert "Only on the duplicate" not in client.get("/tags/mycophenolate").get_data(as_text=True)
    # Undone once is undone: a second click changes nothing.
    again = editor_client.post(f"/editorial/merges/{entry_id}/undo")
    assert again.status_code == 409


def test_merge_refuses_itself_and_unknown_names(app, editor_client, duplicates):
    ids = duplicates
    html = editor_client.post(
        f"/editorial/tags/{ids['dup']}/merge", data={"merge-into": "cellcept"}
    ).get_data(as_text=True)
    assert "Choose another tag to merge this one into." in html
    html = editor_client.post(
        f"/editorial/tags/{ids['dup']}/merge", data={"merge-into": "no such"}
    ).get_data(as_text=True)
    assert "We don’t have a tag called “no such”." in html


def test_only_editors_curate(app, duplicates):
    with app.app_context():
        member = make_user()
        moderator = make_user(role="moderator")
        dup, keep = db.session.get(Tag, duplicates["dup"]), db.session.get(Tag, duplicates["keep"])
        from forum.errors import NotAllowed

        for who in (member, moderator):
            with pytest.raises(NotAllowed):
                merging.merge_tags(dup, keep, actor=who)
            with pytest.raises(NotAllowed):
                curation.add_alias(keep, actor=who, name="Myfortic", kind=AliasKind.BRAND)
