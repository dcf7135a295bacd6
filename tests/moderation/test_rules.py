"""Screening rules are data admins edit in the app, tune with "try a text", and run over files."""

from __future__ import annotations

import json

from forum.domain.models import PostStatus, ScreeningRule
from forum.extensions import db
from tests.moderation.conftest import as_member, log, the_post, write

RULE = {
    "code": "spam.crypto",
    "category": "spam",
    "matcher": "regex",
    "pattern": r"\bbitcoin\b",
    "exceptions": "",
    "action": "hold",
    "reason": "Mentions crypto payments.",
    "message": "Posts about paying in crypto are checked first.",
}


def test_rules_page_lists_rules_and_tries_a_text(app, people):
    ada = as_member(app, "ada@example.test")
    page = ada.get("/moderation/rules").get_data(as_text=True)
    assert "spam.no_prescription" in page and "crisis.self_harm" in page
    tried = ada.post("/moderation/rules", data={"text": "Call me on 07700 900123"}).get_data(
        as_text=True
    )
    assert "Result: hold" in tried and "pii.phone" in tried and "<mark>07700 900123</mark>" in tried
    link = ada.post(
        "/moderation/rules", data={"text": "see https://www.nhs.uk/", "new_member": "y"}
    )
    assert "spam.new_member_link" in link.get_data(as_text=True)


def test_moderators_who_are_not_admins_cannot_edit_rules(app, people):
    mo = as_member(app, "mo@example.test")
    assert mo.get("/moderation/rules").status_code == 403
    assert mo.post("/moderation/rules/new", data={**RULE, "enabled": "y"}).status_code == 403


def test_a_new_rule_starts_off_and_applies_once_switched_on(app, people):
    ada = as_member(app, "ada@example.test")
    form = ada.get("/moderation/rules/new").get_data(as_text=True)
    assert 'name="enabled"' in form and 'name="enabled" checked' not in form
    assert ada.post("/moderation/rules/new", data=RULE).status_code == 302  # saved, switched off
    steady = as_member(app, "steady@example.test")
    write(steady, title="Paid in bitcoin", body="I paid in bitcoin once.")
    assert the_post(app, "Paid in bitcoin").status is PostStatus.PUBLISHED
    with app.app_context():
        rule_id = db.session.scalar(
            db.select(ScreeningRule.id).where(ScreeningRule.code == "spam.crypto")
        )
    ada.post(f"/moderation/rules/{rule_id}", data={**RULE, "enabled": "y"})
    write(steady, title="Bitcoin again", body="Accepting bitcoin for my spare pens.")
    assert the_post(app, "Bitcoin again").status is PostStatus.PENDING
    changes = [e for e in log(app) if e.action.value == "change_rule"]
    assert len(changes) == 2 and "[off" in changes[1].details and "[on" in changes[1].details


def test_bad_patterns_are_refused_with_what_was_typed_kept(app, people):
    ada = as_member(app, "ada@example.test")
    response = ada.post("/moderation/rules/new", data={**RULE, "pattern": "(unclosed"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "That pattern has a problem" in html and "(unclosed" in html
    with app.app_context():
        assert (
            db.session.scalar(db.select(ScreeningRule).where(ScreeningRule.code == "spam.crypto"))
            is None
        )


def test_settings_validate_and_log(app, people):
    ada = as_member(app, "ada@example.test")
    bad = ada.post("/moderation/settings", data={"held_first_posts": "ten"})
    assert bad.status_code == 400 and "Enter a number." in bad.get_data(as_text=True)
    ada.post("/moderation/settings", data={"held_first_posts": "5", "reason": "Busy spam week"})
    [entry] = log(app)
    assert entry.action.value == "change_setting" and entry.setting_key == "held_first_posts"
    assert entry.details == "3 → 5"


def test_screen_command_reads_json_lines_and_plain_lines(app, runner, tmp_path):
    texts = tmp_path / "texts.jsonl"
    texts.write_text(
        json.dumps({"text": "No prescription needed, $2 per pill"})
        + "\n"
        + json.dumps({"text": "I take 200 mg every morning."})
        + "\n"
        + "I want to die.\n"
        + "\n"
        + "Read more at https://www.nhs.uk/medicines/\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["screen", str(texts)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["action"], sorted(r["rules"])) for r in lines] == [
        ("hold", ["spam.no_prescription", "spam.price_per_pill"]),
        ("publish", []),
        ("hold-urgent", ["crisis.self_harm"]),
        ("publish", []),
    ]
    as_new = runner.invoke(args=["screen", "--new-member", str(texts)])
    last = json.loads(as_new.output.splitlines()[-1])
    assert last["action"] == "hold" and last["rules"] == ["spam.new_member_link"]


def test_screen_command_reports_broken_json_lines(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"txt": "no text field"}\n', encoding="utf-8")
    result = runner.invoke(args=["screen", str(bad)])
    assert result.exit_code != 0 and 'Line 2: a JSON line needs a "text" field.' in result.output
