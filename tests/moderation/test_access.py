"""The role × route matrix: every route in the URL map, for every role.

A route missing from ACCESS fails the suite, so a new page can't ship without a decision about
who may use it. GET is tried where a route has it, otherwise POST (with CSRF off, as the
other tests run; tests/test_security.py checks CSRF separately)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.domain.models import (
    ConversationKind,
    Draft,
    PostKind,
    ReviewItem,
    ScreeningRule,
    utcnow,
)
from forum.domain.services import conversations
from forum.extensions import db
from tests.factories import login, make_article, make_post, make_reply, make_tag, make_user

ROLES = ["anonymous", "member", "editor", "moderator", "admin"]
OK = "ok"  # allowed: 200, or a redirect that isn't to the login page, or a form error (400/409)
LOGIN = "login"  # 302 to the login page

PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], OK)}
GUESTS = {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}
STAFF = {"anonymous": LOGIN, "member": 403, "editor": 403, "moderator": OK, "admin": OK}
ADMIN = {"anonymous": LOGIN, "member": 403, "editor": 403, "moderator": 403, "admin": OK}
AUTHOR_ONLY = {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 403)}  # someone else's writing
EDITORS = {"anonymous": LOGIN, "member": 403, "editor": OK, "moderator": 403, "admin": OK}
BAD_LINK = dict.fromkeys(ROLES, 400)
NOT_THEIRS = {"anonymous": LOGIN, "member": 404, "editor": 404, "moderator": OK, "admin": OK}

ACCESS = {
    "home.index": PUBLIC,
    "home.latest": PUBLIC,
    "home.guidelines": PUBLIC,
    "home.privacy": PUBLIC,
    "tags.index": PUBLIC,
    "tags.show": PUBLIC,
    "tags.suggest": PUBLIC,
    "editorial.article": PUBLIC,
    "posts.show": PUBLIC,
    "posts.history": PUBLIC,
    "posts.reply_history": PUBLIC,
    "accounts.profile": PUBLIC,
    "transparency.log": PUBLIC,
    "search.index": PUBLIC,
    "feeds.site_atom": PUBLIC,
    "feeds.tag_atom": PUBLIC,
    "feeds.unsubscribe": dict.fromkeys(ROLES, 404),  # a forged token
    "feeds.feed": SIGNED_IN,
    "feeds.following": SIGNED_IN,
    "feeds.follow": SIGNED_IN,
    "feeds.unfollow": SIGNED_IN,
    "feeds.notifications_page": SIGNED_IN,
    "feeds.read_all": SIGNED_IN,
    "feeds.read": {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], 404)},  # not theirs
    "auth.check_email": PUBLIC,
    "auth.login": GUESTS,
    "auth.signup": GUESTS,
    "auth.reset_request": PUBLIC,
    "auth.reset_password": BAD_LINK,
    "auth.verify": BAD_LINK,
    "auth.logout": {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], OK)},
    "auth.resend_verification": SIGNED_IN,
    "accounts.settings": SIGNED_IN,
    "accounts.standing": SIGNED_IN,
    "accounts.change_password": SIGNED_IN,
    "accounts.change_email": SIGNED_IN,
    "accounts.export": SIGNED_IN,
    "accounts.erase": SIGNED_IN,
    "posts.new": SIGNED_IN,
    "posts.drafts": SIGNED_IN,
    "posts.delete_draft": SIGNED_IN,
    "posts.autosave": {"anonymous": 401, **dict.fromkeys(ROLES[1:], OK)},
    "posts.reply": SIGNED_IN,
    "transparency.report": SIGNED_IN,
    # Someone else's post or reply: editing and deleting here are the author's own; moderators
    # edit through content_actions.edit (a reason, a log entry, the author told).
    "posts.edit": AUTHOR_ONLY,
    "posts.edit_reply": AUTHOR_ONLY,
    "posts.delete": AUTHOR_ONLY,
    "posts.delete_reply": AUTHOR_ONLY,
    "moderation.queue": STAFF,
    "moderation.item": STAFF,
    "moderation.approve": STAFF,
    "moderation.edit_and_approve": STAFF,
    "moderation.reject": STAFF,
    "moderation.remove_item": STAFF,
    "moderation.ignore_flags": STAFF,
    "moderation.act": STAFF,
    "moderation.edit": STAFF,
    "moderation.retag": STAFF,
    "moderation.pin": STAFF,
    "moderation.members": STAFF,
    "moderation.member": STAFF,
    "moderation.member_action": STAFF,
    "moderation.actions": STAFF,
    "moderation.change_role": ADMIN,
    "moderation.rules": ADMIN,
    "moderation.rule": ADMIN,
    "moderation.settings": ADMIN,
    # Editorial: articles and tag curation are for editors and admins only.
    "editors.articles": EDITORS,
    "editors.needs_review": EDITORS,
    "editors.new_article": EDITORS,
    "editors.edit_article": EDITORS,
    "editors.preview": EDITORS,
    "editors.history": EDITORS,
    "editors.compare": EDITORS,
    "editors.tags": EDITORS,
    "editors.new_tag": EDITORS,
    "editors.edit_tag": EDITORS,
    "editors.add_alias": EDITORS,
    "editors.remove_alias": EDITORS,
    "editors.add_relation": EDITORS,
    "editors.remove_relation": EDITORS,
    "editors.merge_tag": EDITORS,
    "editors.undo_merge": EDITORS,
    "editors.ambiguous_names": EDITORS,
    "editors.remove_ambiguous_name": EDITORS,
    "tags.mentions": {"anonymous": 401, **dict.fromkeys(ROLES[1:], OK)},
    # Private conversations (issue 12): a member's own, and every one for the moderators.
    "messages.inbox": SIGNED_IN,
    "messages.show": NOT_THEIRS,  # someone else's conversation: as if it didn't exist
    "messages.reply": NOT_THEIRS,
    "messages.read": NOT_THEIRS,
    "messages.new": STAFF,
    "messages.appeal": AUTHOR_ONLY,  # only the member the decision was about
}


def test_every_route_has_an_access_rule(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert endpoints - set(ACCESS) == set(), "add these routes to ACCESS with who may use them"
    assert set(ACCESS) - endpoints == set(), "these ACCESS entries no longer exist"


def _world(app, role: str) -> dict:
    """Someone else's content and objects for every kind of URL argument."""
    with app.app_context():
        old = utcnow() - timedelta(days=200)
        other = make_user(pseudonym="someone_else", joined=old)
        tag = make_tag(name="azathioprine", aliases=["Imuran"])
        post = make_post(author=other, tags=[tag], title="Someone else's story")
        reply = make_reply(post, author=other)
        held = make_post(author=other, tags=[tag], status="pending", title="Held one")
        item = ReviewItem(post_id=held.id, reasons="test", created_at=utcnow())
        db.session.add(item)
        article = make_article(slug="an-overview", pinned_to=[tag])
        editorial_ids = _editorial_world(tag)
        conversation = conversations.start_conversation(
            make_user(role="moderator"), other, kind=ConversationKind.CARE, subject="Hi", body="Hi"
        )
        me = None
        if role != "anonymous":
            me = make_user(
                pseudonym=f"the_{role}", email=f"{role}@example.test", role=role, joined=old
            )
            make_post(author=me, tags=[tag])  # an established member
            db.session.add(Draft(author_id=me.id, kind=PostKind.STORY, title="mine"))
        db.session.commit()
        draft_id = db.session.scalar(db.select(Draft.id)) or 1
        return {
            "post_id": post.id,
            "reply_id": reply.id,
            "item_id": item.id,
            "user_id": other.id,
            "rule_id": db.session.scalar(db.select(ScreeningRule.id)),
            "draft_id": draft_id,
            "token": "not-a-real-token",
            "pseudonym": other.pseudonym,
            "kind": "posts",
            "target_id": post.id,
            "notification_id": 999,
            "conversation_id": conversation.id,
            "slug_tag": tag.slug,
            "tag_slug": tag.slug,
            "article_slug": article.slug,
            "post_slug": post.slug,
            "me": me.email if me else None,
            **editorial_ids,
        }


def _editorial_world(tag) -> dict:
    """An alias, a relation, a merge to undo, an article with a revision, an ambiguous name."""
    from forum.domain.services import alias_table, curation, editorial, merging

    curator = make_user(pseudonym="curator", role="editor")
    crohns = make_tag(name="Crohn's disease", kind="condition")
    relation = curation.add_relation(
        tag, actor=curator, choice="used_for", other_name="Crohn's disease"
    )
    duplicate = make_tag(name="azathioprin")
    entry = merging.merge_tags(duplicate, tag, actor=curator)
    article = make_article(slug="another-overview", pinned_to=[crohns])
    editorial.keep_revision(article, curator)
    ambiguous = alias_table.add_ambiguous_name(actor=curator, name="AZ", candidate_names=[tag.name])
    db.session.commit()
    return {
        "tag_id": tag.id,
        "alias_id": tag.aliases[0].id,
        "relation_id": relation.id,
        "action_id": entry.id,
        "article_id": article.id,
        "ambiguous_id": ambiguous.id,
    }


def _url(rule, world) -> str:
    values = {}
    for name in rule.arguments:
        if name == "slug":
            values[name] = {
                "editorial.article": world["article_slug"],
                "posts.show": world["post_slug"],
            }.get(rule.endpoint, world["tag_slug"])  # tag pages, follow, Atom
        elif name == "action":
            values[name] = "lock" if rule.endpoint == "moderation.act" else "suspend"
        else:
            values[name] = world[name]
    return rule.build(values)[1]


@pytest.mark.parametrize("role", ROLES)
def test_role_route_matrix(app, role):
    world = _world(app, role)
    client = app.test_client()
    if world["me"]:
        assert login(client, world["me"]).status_code == 302
    seen = set()
    failures = []
    # Where an endpoint has several URLs, try the fullest (e.g. a post with its slug).
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, bool(r.defaults))):
        if rule.endpoint == "static" or rule.endpoint in seen:
            continue
        seen.add(rule.endpoint)
        url = _url(rule, world)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        expected = ACCESS[rule.endpoint][role]
        got = response.status_code
        location = response.headers.get("Location", "")
        if expected == LOGIN:
            ok = got == 302 and "/login" in location
        elif expected == OK:
            ok = got in (200, 302, 303, 400, 409) and "/login" not in location
        else:
            ok = got == expected
        if not ok:
            failures.append(f"{method} {url} ({rule.endpoint}) as {role}: {got} {location}")
        if rule.endpoint == "auth.logout" and world["me"] and got == 302:
            login(client, world["me"])
    assert failures == []
