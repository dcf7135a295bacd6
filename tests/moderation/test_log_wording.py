"""How the moderation log reads to each audience: members read their own decisions in plain
words, the public never sees rules that say something about a person, and every table stacks
into a list on a phone."""

from __future__ import annotations

import re

from tests.moderation.conftest import as_member, open_items, the_post, write


def test_members_read_their_holds_in_plain_words_without_rule_codes(app, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Advice", body="You should stop taking azathioprine if you feel sick.")
    write(steady, title="Cheap", body="No prescription needed, only $1 per pill.")
    html = steady.get("/account/standing").get_data(as_text=True)
    for internal in ("dosing.instruction", "spam.", "Found:", "<code>", "you feel sick"):
        assert internal not in html, internal
    assert "advice" in html and "advertising" in html


def test_a_new_members_first_post_reads_as_routine(app, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Hello")
    html = nell.get("/account/standing").get_data(as_text=True)
    assert "new-member" not in html and "routine" in html


def test_the_public_log_hides_personal_information_rules_but_names_spam_rules(app, client, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Call me", body="Call me on 07700 900123.", send_anyway="y")
    write(steady, title="Cheap", body="No prescription needed.")
    html = client.get("/moderation/log").get_data(as_text=True)
    assert "pii." not in html and "spam.no_prescription" in html
    assert "held for review" in html.lower()


def test_a_renamed_or_unknown_rule_code_stays_out_of_the_public_log(app, client, people):
    from forum.domain.models import ModAction, ModerationAction, utcnow
    from forum.extensions import db

    post = the_post(app, "Earlier post 0")
    with app.app_context():
        db.session.add(
            ModerationAction(
                action=ModAction.HOLD,
                post_id=post.id,
                rule_code="old.mystery_rule",
                reason="old.mystery_rule: something",
                created_at=utcnow(),
            )
        )
        db.session.commit()
    assert "old.mystery_rule" not in client.get("/moderation/log").get_data(as_text=True)


def test_log_tables_label_each_cell_so_they_stack_on_a_phone(app, client, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Cheap", body="No prescription needed.")
    mo = as_member(app, "mo@example.test")
    pages = {
        "/account/standing": steady,
        "/moderation/log": client,
        "/moderation/actions": mo,
        f"/moderation/members/{people['established']}": mo,
    }
    for path, viewer in pages.items():
        html = viewer.get(path).get_data(as_text=True)
        assert 'class="log log-stack"' in html, path
        assert 'data-label="When"' in html and 'data-label="Action"' in html, path
        # Rows and cells keep their table roles when the stacked layout changes their display.
        assert '<tr role="row">' in html and 'role="cell"' in html, path


def test_moderators_see_each_rule_once_with_its_explanation(app, people):
    steady = as_member(app, "steady@example.test")
    write(steady, title="Cheap", body="No prescription needed, only $1 per pill.")
    html = as_member(app, "mo@example.test").get("/moderation/actions").get_data(as_text=True)
    assert html.count("spam.no_prescription") == 1 and "Found:" in html


def test_queue_cards_space_the_author_from_when_they_joined(app, people):
    nell = as_member(app, "nell@example.test")
    write(nell, title="Hello")
    [item] = open_items(app)
    html = as_member(app, "mo@example.test").get("/moderation/queue").get_data(as_text=True)
    assert re.search(r"new_nell</span></a> · joined", html), html[html.find("By ") :][:300]
    item_page = as_member(app, "mo@example.test").get(f"/moderation/items/{item.id}")
    assert "</a> · joined" in item_page.get_data(as_text=True)
