"""Journey 5: an editor revises the pinned overview of a drug, and readers see it at once.

dana_editor opens the azathioprine page, follows the pinned overview to its article and edits it:
one sentence of the opening paragraph changes and the clinical review date moves. A signed-out
visitor who had the tag page open before (so a cached copy exists) sees the new sentence and the
new "Last reviewed on" date, and the article's history lists the new revision by dana_editor.
The same edit is made with the keyboard alone (every focused control must show where the focus
is) and without JavaScript (the Preview button, then Save). And a member without JavaScript
replies to a thread.

The server is shared by the whole run, so every test reads the article as it is now rather than
assuming the demo's text, and writes sentences with a random suffix.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.e2e.conftest import DESKTOP, LiveServer, Session, demo_email, unique

pytestmark = pytest.mark.e2e

TAG = "azathioprine"
EDITOR = "dana_editor"
MEMBER = "slowburn_sam"
SAVED = "Your changes are saved as a new revision."

# What the focused element looks like: a visible outline (style, width, colour) or a box shadow.
FOCUS_STYLE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id || '', name: el.getAttribute('name') || '',
    type: el.getAttribute('type') || '', text: (el.innerText || '').trim().slice(0, 40),
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
    outlineColor: s.outlineColor, boxShadow: s.boxShadow,
  };
}
"""


# --- helpers --------------------------------------------------------------------------------------


def when(day: date) -> str:
    """As the site writes dates: '22 Nov 2026'."""
    return f"{day.day} {day:%b %Y}"


def today() -> date:
    return datetime.now(UTC).date()


def overview_row(server: LiveServer) -> tuple[int, str, str, str]:
    """(id, slug, body, last_reviewed_on) of the overview pinned first on the tag page."""
    rows = server.sql(
        "SELECT a.id, a.slug, a.body, a.last_reviewed_on FROM articles a"
        " JOIN article_pins p ON p.article_id = a.id JOIN tags t ON t.id = p.tag_id"
        " WHERE t.slug = :tag AND a.kind = 'overview' AND a.status = 'published'"
        " ORDER BY p.position, a.id",
        tag=TAG,
    )
    assert rows, "the demo has no published overview pinned to azathioprine"
    article_id, slug, body, reviewed = rows[0]
    return article_id, slug, body, str(reviewed) if reviewed else ""


def latest_revision(server: LiveServer, article_id: int) -> int:
    (number,) = server.sql(
        "SELECT max(number) FROM article_revisions WHERE article_id = :id", id=article_id
    )[0]
    return number or 0


def replace_first_sentence(body: str, sentence: str) -> tuple[str, str]:
    """The text with the first sentence of its opening paragraph replaced; and that sentence."""
    first, newline, rest = body.partition("\n")
    assert first.strip() and not first.lstrip().startswith("#"), first
    found = re.match(r"(.+?[.!?])(\s+)(.*)", first)
    if found is None:
        return sentence + newline + rest, first.strip()
    return sentence + found.group(2) + found.group(3) + newline + rest, found.group(1)


def visitor_overview(session: Session) -> tuple[str, str]:
    """(text of the pinned overview, its "Last reviewed on" date as an ISO date) for a reader."""
    session.goto(f"/tags/{TAG}")
    overview = session.page.locator("article.overview").first
    assert overview.is_visible()
    reviewed = overview.locator("p.reviewed time")
    return overview.inner_text(), reviewed.get_attribute("datetime") if reviewed.count() else ""


def focus_problem(style: dict | None) -> str | None:
    """Why the focused control shows no focus indicator, or None when it shows one."""
    if style is None:
        return "nothing has the focus"
    outline = (
        style["outlineStyle"] != "none"
        and style["outlineWidth"] > 0
        and style["outlineColor"] not in ("transparent", "rgba(0, 0, 0, 0)")
    )
    if outline or style["boxShadow"] not in ("", "none"):
        return None
    return f"no focus indicator on {style}"


def tab_until(session: Session, is_target, *, limit: int = 80) -> dict:
    """Press Tab until `is_target(focused)`; every control on the way must show its focus."""
    seen = []
    for _ in range(limit):
        session.page.keyboard.press("Tab")
        style = session.page.evaluate(FOCUS_STYLE)
        problem = focus_problem(style)
        assert problem is None, problem
        seen.append(style)
        if is_target(style):
            return style
    raise AssertionError(f"never reached the control after {limit} Tabs: {seen[-5:]}")


def open_editor_from_tag_page(session: Session) -> str:
    """Tag page -> the pinned overview's article -> "Edit this article"; returns the title."""
    page = session.page
    session.goto(f"/tags/{TAG}")
    link = page.locator("article.overview h2 a").first
    title = link.inner_text().strip()
    link.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().strip() == title
    page.get_by_role("link", name="Edit this article").click()
    page.wait_for_load_state()
    assert re.search(r"/editorial/articles/\d+$", page.url), page.url
    assert page.get_by_role("heading", level=1).inner_text().strip() == f"Edit “{title}”"
    return title


def check_history(session: Session, revision: int, note: str) -> None:
    """The edit page's "History and changes" lists `revision` first, by dana_editor."""
    page = session.page
    page.get_by_role("link", name="History and changes").click()
    page.wait_for_load_state()
    assert "/history" in page.url
    newest = page.locator("ol.revisions li.version").first
    heading = newest.get_by_role("heading", level=2).inner_text().strip()
    assert heading == f"Revision {revision} (current)", heading
    meta = newest.locator("p.meta").inner_text()
    assert f"by {EDITOR}" in meta, meta
    assert note in newest.inner_text()
    session.screenshot("editorial-history")


# --- journey 5: an editor revises the overview ----------------------------------------------------


def test_an_editor_revises_the_overview_and_readers_see_it(new_session, live_server):
    article_id, slug, body_before, reviewed_before = overview_row(live_server)
    revision_before = latest_revision(live_server, article_id)
    sentence = unique("Editors looked at this overview again, reference ") + "."
    note = unique("Opening sentence and review date ")
    reviewed = today() if reviewed_before != today().isoformat() else today() - timedelta(days=1)

    # A signed-out visitor has the page open first: a copy of it is now cached.
    visitor = new_session(viewport=DESKTOP)
    text, iso = visitor_overview(visitor)
    assert sentence not in text and iso == reviewed_before

    editor = new_session(viewport=DESKTOP)
    editor.log_in(demo_email(EDITOR))
    page = editor.page
    open_editor_from_tag_page(editor)
    text_field = page.get_by_label("Text", exact=True)
    current = text_field.input_value()
    assert current == body_before.replace("\r\n", "\n")
    new_body, old_sentence = replace_first_sentence(current, sentence)
    text_field.fill(new_body)
    page.get_by_label("Last reviewed on").fill(reviewed.isoformat())
    page.get_by_label("What you changed").fill(note)
    assert page.get_by_label("Published: everyone can read it").is_checked()
    editor.screenshot("editorial-edit-form")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    assert page.locator(".flashes").inner_text().strip() == SAVED
    assert not page.locator(".error-summary").count()
    assert page.get_by_label("Text", exact=True).input_value() == new_body
    assert page.get_by_label("Last reviewed on").input_value() == reviewed.isoformat()
    editor.screenshot("editorial-saved")
    _, _, body_after, reviewed_after = overview_row(live_server)
    assert sentence in body_after and old_sentence not in body_after.partition("\n")[0]
    assert reviewed_after == reviewed.isoformat()

    # The same visitor, still signed out, reloads the tag page: the new text, the new date.
    text, iso = visitor_overview(visitor)
    assert sentence in text, f"the tag page still shows the old overview:\n{text}"
    assert old_sentence not in text
    assert iso == reviewed.isoformat()
    assert f"Last reviewed on {when(reviewed)}" in text
    visitor.screenshot("editorial-tag-page-updated")
    # And the article page itself.
    visitor.goto(f"/articles/{slug}")
    article_text = visitor.page.locator("article.article").inner_text()
    assert sentence in article_text and f"Last reviewed on {when(reviewed)}" in article_text

    check_history(editor, revision_before + 1, note)
    assert latest_revision(live_server, article_id) == revision_before + 1


# --- journey 5b: the same with the keyboard alone -------------------------------------------------


def _day_equal_to_month(before: date, avoid: str) -> date:
    """A recent date whose day and month are the same number (so it types the same whether the
    date field reads dd/mm/yyyy or mm/dd/yyyy), and not `avoid`."""
    day = before
    while day.day != day.month or day.isoformat() == avoid:
        day -= timedelta(days=1)
    return day


def test_an_editor_revises_the_overview_with_the_keyboard_alone(new_session, live_server):
    article_id, _, body_before, reviewed_before = overview_row(live_server)
    assert body_before.strip() and not body_before.lstrip().startswith("#")
    revision_before = latest_revision(live_server, article_id)
    sentence = unique("Checked with the keyboard alone, reference ") + "."
    note = unique("Keyboard review ")
    reviewed = _day_equal_to_month(today(), reviewed_before)

    editor = new_session(viewport=DESKTOP)
    editor.log_in(demo_email(EDITOR))
    page = editor.page
    editor.goto(f"/editorial/articles/{article_id}")
    page.wait_for_load_state("networkidle")  # the live preview has loaded its links

    # Tab from the top of the page to the text; every stop on the way shows its focus.
    tab_until(editor, lambda f: f["tag"] == "textarea" and f["id"] == "body")
    page.keyboard.press("Control+Home")
    page.keyboard.type(sentence + " ")
    # On to the clinical review date, and type it (day, month and year segments).
    tab_until(editor, lambda f: f["id"] == "last_reviewed_on")
    page.keyboard.type(reviewed.strftime("%d%m%Y"))
    assert page.locator("#last_reviewed_on").input_value() == reviewed.isoformat()
    editor.screenshot("editorial-keyboard-date")
    # On to "What you changed", then to Save.
    tab_until(editor, lambda f: f["id"] == "note")
    page.keyboard.type(note)
    focused = tab_until(editor, lambda f: f["tag"] == "button" and f["name"] == "save")
    assert focused["text"] == "Save"
    editor.screenshot("editorial-keyboard-save-focused")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()

    assert page.locator(".flashes").inner_text().strip() == SAVED
    _, _, body_after, reviewed_after = overview_row(live_server)
    assert body_after.startswith(sentence + " "), body_after[:200]
    assert body_after[len(sentence) + 1 :] == body_before.replace("\r\n", "\n")
    assert reviewed_after == reviewed.isoformat()
    assert latest_revision(live_server, article_id) == revision_before + 1

    visitor = new_session()
    text, iso = visitor_overview(visitor)
    assert sentence in text, text
    assert iso == reviewed.isoformat() and f"Last reviewed on {when(reviewed)}" in text
    visitor.screenshot("editorial-keyboard-tag-page")
    check_history(editor, revision_before + 1, note)


# --- journey 5c: the editor without JavaScript ----------------------------------------------------


def test_the_editor_previews_and_saves_without_javascript(new_session, live_server):
    article_id, _, body_before, reviewed_before = overview_row(live_server)
    revision_before = latest_revision(live_server, article_id)
    sentence = unique("Previewed without scripts, reference ") + "."
    note = unique("No-script edit ")
    reviewed = today() - timedelta(days=2)
    if reviewed.isoformat() == reviewed_before:
        reviewed -= timedelta(days=1)

    editor = new_session(viewport=DESKTOP, javascript=False)
    editor.log_in(demo_email(EDITOR))
    page = editor.page
    # This time through the Editorial link in the header and the list of articles.
    editor.goto(f"/tags/{TAG}")
    title = page.locator("article.overview h2 a").first.inner_text().strip()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Editorial").click()
    page.wait_for_load_state()
    page.locator("ul.article-list").get_by_role("link", name=title, exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/editorial/articles/{article_id}"), page.url
    assert page.locator("#live-preview").is_hidden()  # the live preview needs JavaScript

    text_field = page.get_by_label("Text", exact=True)
    new_body, old_sentence = replace_first_sentence(text_field.input_value(), sentence)
    text_field.fill(new_body)
    page.get_by_label("Last reviewed on").fill(reviewed.isoformat())
    page.get_by_label("What you changed").fill(note)

    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    preview = page.locator("#preview")
    assert preview.get_by_role("heading", name="Preview", exact=True).is_visible()
    preview_text = preview.locator(".prose").inner_text()
    assert sentence in preview_text and old_sentence not in preview_text
    assert "Nothing is saved yet" in preview.inner_text()
    editor.screenshot("editorial-no-js-preview")
    # Nothing saved; what was typed is still in the form.
    _, _, body_now, reviewed_now = overview_row(live_server)
    assert sentence not in body_now and reviewed_now == reviewed_before
    assert latest_revision(live_server, article_id) == revision_before
    assert page.get_by_label("Text", exact=True).input_value() == new_body
    assert page.get_by_label("Last reviewed on").input_value() == reviewed.isoformat()
    assert page.get_by_label("What you changed").input_value() == note

    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".flashes").inner_text().strip() == SAVED
    assert not page.locator("#preview").count()
    editor.screenshot("editorial-no-js-saved")
    _, _, body_after, reviewed_after = overview_row(live_server)
    assert sentence in body_after and reviewed_after == reviewed.isoformat()
    assert body_before != body_after

    visitor = new_session(javascript=False)
    text, iso = visitor_overview(visitor)
    assert sentence in text and old_sentence not in text
    assert iso == reviewed.isoformat() and f"Last reviewed on {when(reviewed)}" in text
    check_history(editor, revision_before + 1, note)


# --- a member replies to a thread without JavaScript ---------------------------------------------


def test_a_member_replies_to_a_thread_without_javascript(new_session, live_server):
    member = new_session(javascript=False)
    member.log_in(demo_email(MEMBER))
    page = member.page
    member.goto(f"/tags/{TAG}")
    threads = page.locator("#posts .post-card").filter(has=page.locator(".badge-thread"))
    assert threads.count() > 0, "no threads on the azathioprine page"
    # The first thread that is open for replies (a moderator may have locked one).
    reply_box = page.get_by_role("textbox", name="Your reply")
    for index in range(threads.count()):
        member.goto(f"/tags/{TAG}")
        card = threads.nth(index)
        title = card.locator("h3").inner_text().strip()
        card.get_by_role("link", name=title, exact=True).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text().strip() == title
        if reply_box.count():
            break
    else:
        raise AssertionError("every thread on the azathioprine page is closed to replies")
    post_url = page.url
    post_id = int(re.search(r"/posts/(\d+)", post_url).group(1))

    words = unique("Same here: the first months were slow, then it settled. Note ")
    reply_box.fill(words)
    member.screenshot("editorial-member-reply-typed")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state()
    assert not page.locator(".error-summary, #pii-check").count(), page.inner_text("main")

    rows = live_server.sql(
        "SELECT r.id, r.status FROM replies r JOIN users u ON u.id = r.author_id"
        " WHERE r.post_id = :post AND r.body = :body AND u.pseudonym = :who",
        post=post_id,
        body=words,
        who=MEMBER,
    )
    assert len(rows) == 1, rows
    reply_id, status = rows[0]
    assert page.url.split("#")[0] == post_url.split("#")[0] and page.url.endswith(
        f"#reply-{reply_id}"
    )
    flash = page.locator(".flashes").inner_text().strip()
    reply = page.locator(f"#reply-{reply_id}")
    assert reply.is_visible() and words in reply.inner_text()
    member.screenshot("editorial-member-reply-posted")
    if status == "published":
        assert flash == "Your reply is posted."
        # A signed-out reader sees it too.
        reader = new_session(javascript=False)
        reader.goto(f"/posts/{post_id}")
        assert words in reader.page.locator("section.replies").inner_text()
    else:
        # Held for a moderator: the member is told so, and only they see it, marked as waiting.
        assert status == "pending", status
        assert flash == "Thank you. Your reply will appear once a moderator has looked at it."
        assert "waiting for review" in reply.inner_text()
