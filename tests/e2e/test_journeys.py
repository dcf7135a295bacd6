"""Journeys 2, 3, 4 and 6, each from the first click as a person would make it.

2. A newcomer signs up, confirms their address by the emailed link, writes a story tagged by a
   brand name and a topic, and is told it waits for a moderator (nobody else can see it yet).
3. A moderator approves it from the queue; a reader who follows the drug with "also notify me"
   finds it in their feed and gets a notification.
4. A member reports a post; a moderator removes it with a reason; the author is told why (in
   their notifications, on the post, on their standing page and by email).
6. The key steps of 2-4 with the keyboard alone, every focused control visibly focused; and the
   tab order of the busiest pages: no trap, no positive tabindex, DOM order, a skip link first.

Also posting a story and replying to a thread with JavaScript switched off.

The server is shared by the whole run, so every test makes its own accounts and posts (unique
names) and never relies on another test having run. Sign-ups are limited to five an hour per
address, so only the three tests that need a newcomer sign one up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, DESKTOP, LiveServer, Session, demo_email, unique

pytestmark = pytest.mark.e2e

NEWCOMER_PASSWORD = "lantern orchard pebble 42"  # noqa: S105 - a throwaway test account's


# --- what the pages say -------------------------------------------------------------------------


def main_nav(session: Session):
    return session.page.get_by_role("navigation", name="Main")


def flash_text(session: Session) -> str:
    flashes = session.page.locator(".flashes")
    return flashes.inner_text() if flashes.count() else ""


def report_thanks(session: Session, post_id: int) -> str:
    """The reporter's thanks beside the post they reported, where the page landed (a flash at
    the top would be out of view on a phone)."""
    note = session.page.locator(f"#reported-post-{post_id}")
    assert session.page.url.endswith(f"#reported-post-{post_id}")
    assert note.is_visible()
    return note.inner_text()


def unread_count(session: Session) -> int:
    """The number beside "Notifications" in the header (0 when there is none)."""
    link = main_nav(session).get_by_role("link", name=re.compile(r"^Notifications"))
    found = re.search(r"\d+", link.inner_text())
    return int(found.group()) if found else 0


def post_id_of(url: str) -> int:
    found = re.search(r"/posts/(\d+)", url)
    assert found, url
    return int(found.group(1))


# --- newcomers ----------------------------------------------------------------------------------


@dataclass
class Newcomer:
    session: Session
    pseudonym: str
    email: str


def sign_up_newcomer(new_session, live_server: LiveServer, *, shots: str = "") -> Newcomer:
    """Sign up from the home page's "Sign up" link, then open the emailed link to confirm.

    The link is no login link: it asks them to log in, then confirms. Ends logged in on the
    compose page."""
    pseudonym = unique("wren_")
    email = f"{pseudonym}@example.org"
    session = new_session()
    page = session.page
    session.goto("/")
    main_nav(session).get_by_role("link", name="Sign up").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Create an account"
    page.get_by_label("Pseudonym").fill(pseudonym)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(NEWCOMER_PASSWORD)
    page.get_by_label("I am 16 or older").check()
    page.get_by_label("I agree that Cohort may store the health information").check()
    if shots:
        session.screenshot(f"{shots}-signup")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email", page.url
    assert email in page.locator("main").inner_text()
    # Not logged in until the link is opened: the header still offers "Log in".
    assert main_nav(session).get_by_role("link", name="Log in").is_visible()

    link = live_server.link_in_email(email, "/verify/")
    session.goto(urlpath(link, live_server))
    assert page.get_by_role("heading", level=1).inner_text() == "Log in", page.url
    assert "Log in to confirm your email address" in flash_text(session)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(NEWCOMER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert f"Welcome, {pseudonym}." in flash_text(session)
    assert "your email address is confirmed" in flash_text(session)
    assert page.url.endswith("/posts/new"), page.url  # straight on to writing
    assert main_nav(session).get_by_role("link", name=pseudonym).is_visible()
    return Newcomer(session=session, pseudonym=pseudonym, email=email)


def urlpath(url: str, live_server: LiveServer) -> str:
    """An emailed absolute link as a path on the test server (it is the same site)."""
    assert url.startswith(live_server.url), (url, live_server.url)
    return url[len(live_server.url) :]


def write_story(session: Session, *, title: str, body: str, tags: str) -> str:
    """From any page: the header's "Write" link, a story, Publish. Returns the post's URL."""
    page = session.page
    main_nav(session).get_by_role("link", name="Write").click()
    page.wait_for_load_state()
    assert page.url.endswith("/posts/new"), page.url
    page.get_by_label("A story").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your words").fill(body)
    page.get_by_label("Tags", exact=True).fill(tags)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert re.search(r"/posts/\d+", page.url), (page.url, page.locator("main").inner_text())
    assert page.get_by_role("heading", level=1).inner_text() == title
    return page.url


def newcomer_with_pending_story(new_session, live_server, *, shots: str = ""):
    """Journey 2 up to the held story: (newcomer, title, post URL)."""
    newcomer = sign_up_newcomer(new_session, live_server, shots=shots)
    title = unique("Six months on Imuran: the tiredness lifted ")
    url = write_story(
        newcomer.session,
        title=title,
        body=(
            "The first weeks were rough: nausea most mornings and a tiredness I couldn't shake. "
            "Taking it with food in the evening helped. My blood tests stayed fine throughout."
        ),
        tags="Imuran, side effects",
    )
    return newcomer, title, url


# --- journey 2 ----------------------------------------------------------------------------------


def test_a_newcomer_signs_up_and_their_first_story_waits_for_review(new_session, live_server):
    newcomer, title, url = newcomer_with_pending_story(new_session, live_server, shots="journey-2")
    page = newcomer.session.page

    # What the newcomer is told: waiting, why (routine for new members), and who can see it.
    assert "waiting for a moderator" in flash_text(newcomer.session)
    notice = page.get_by_role("status").filter(has_text="Waiting for review")
    assert notice.is_visible()
    assert "only you and the moderators can see this" in notice.inner_text()
    assert "first posts before they appear" in notice.inner_text()
    # The brand name became the drug's own tag, next to the topic.
    chips = page.get_by_role("list", name="Tags").get_by_role("link").all_inner_texts()
    assert set(chips) == {"azathioprine", "Side effects"}, chips
    newcomer.session.screenshot("journey-2-waiting")

    # A signed-out visitor sees nothing of it: not on the drug's page, not at its address.
    visitor = new_session()
    visitor.goto("/tags/imuran")
    assert visitor.page.url.endswith("/tags/azathioprine")
    assert visitor.page.locator("#posts .post-card").count() > 0
    assert title not in visitor.page.locator("main").inner_text()
    response = visitor.page.goto(url)
    assert response is not None and response.status == 404
    assert title not in visitor.page.content()
    (status,) = live_server.sql("SELECT status FROM posts WHERE id = :id", id=post_id_of(url))[0]
    assert status.lower() == "pending"


# --- journey 3 ----------------------------------------------------------------------------------


def follow_with_notifications(session: Session, tag_link: str) -> None:
    """From the home page's Browse chips to the tag page, then "Also notify me of new posts"."""
    page = session.page
    session.goto("/")
    page.get_by_role("region", name="Browse").get_by_role("link", name=tag_link, exact=True).click()
    page.wait_for_load_state()
    if page.get_by_role("button", name="Unfollow").count():  # left over from an earlier run
        page.get_by_role("button", name="Unfollow").click()
        page.wait_for_load_state()
    page.get_by_label(f"How to follow {tag_link}").select_option(
        label="Also notify me of new posts"
    )
    page.get_by_role("button", name=f"Follow {tag_link}").click()
    page.wait_for_load_state()
    assert f"You follow {tag_link}: also notify me of new posts" in flash_text(session)
    assert page.get_by_role("button", name="Unfollow").is_visible()


def test_a_moderator_approves_it_and_a_follower_hears_of_it(new_session, live_server):
    newcomer, title, url = newcomer_with_pending_story(new_session, live_server)

    reader = new_session()
    reader.log_in(demo_email("quietriver"))
    follow_with_notifications(reader, "azathioprine")
    reader.screenshot("journey-3-following")
    before = unread_count(reader)
    main_nav(reader).get_by_role("link", name="Feed").click()
    reader.page.wait_for_load_state()
    assert title not in reader.page.locator("main").inner_text()  # held: not yet for others

    moderator = new_session(viewport=DESKTOP)
    moderator.log_in(demo_email("mod_ana"))
    main_nav(moderator).get_by_role("link", name=re.compile(r"^Moderation")).click()
    moderator.page.wait_for_load_state()
    assert moderator.page.get_by_role("heading", level=1).inner_text() == "Review queue"
    card = moderator.page.locator("article.queue-item").filter(has_text=title)
    assert card.count() == 1
    assert "new-member" in card.inner_text()  # why it is held
    assert newcomer.pseudonym in card.inner_text()
    moderator.screenshot("journey-3-queue")
    card.get_by_role("button", name=re.compile(r"^Approve item \d+$")).click()
    moderator.page.wait_for_load_state()
    assert "Approved: it is published now." in flash_text(moderator)
    assert moderator.page.locator("article.queue-item").filter(has_text=title).count() == 0

    # The follower: a notification in the header, the story in the feed and in the list.
    reader.page.reload()
    assert unread_count(reader) >= before + 1
    assert title in reader.page.locator("main").inner_text()  # the feed page, reloaded
    main_nav(reader).get_by_role("link", name=re.compile(r"^Notifications")).click()
    reader.page.wait_for_load_state()
    entry = reader.page.locator("li.notification").filter(has_text=title)
    assert entry.count() == 1
    assert "A new story in a tag you follow" in entry.inner_text()
    assert "New" in entry.locator(".badge").inner_text()
    reader.screenshot("journey-3-notification")
    entry.get_by_role("button", name=re.compile(r"^Open")).click()
    reader.page.wait_for_load_state()
    assert reader.page.get_by_role("heading", level=1).inner_text() == title
    assert post_id_of(reader.page.url) == post_id_of(url)
    assert unread_count(reader) == before  # opening it marked it read

    # The author is told too, and the story is public now.
    newcomer.session.page.reload()
    assert unread_count(newcomer.session) >= 1
    main_nav(newcomer.session).get_by_role("link", name=re.compile(r"^Notifications")).click()
    newcomer.session.page.wait_for_load_state()
    assert f"Your story “{title}” is now published." in newcomer.session.page.inner_text("main")
    visitor = new_session()
    visitor.goto("/tags/imuran")
    assert visitor.page.locator("#posts").get_by_role("link", name=title).is_visible()


# --- journey 4 ----------------------------------------------------------------------------------


def test_a_reported_post_is_removed_and_the_author_is_told_why(new_session, live_server):
    title = unique("Does anyone split their dose across the day? ")
    author = new_session()
    author.log_in(demo_email("slowburn_sam"))
    author.goto("/")
    main_nav(author).get_by_role("link", name="Write").click()
    author.page.wait_for_load_state()
    author.page.get_by_label("A thread").check()
    author.page.get_by_label("Title").fill(title)
    author.page.get_by_label("Your words").fill(
        "My specialist said it's fine either way. Curious what others found easier."
    )
    author.page.get_by_label("Tags", exact=True).fill("Crohn's disease, dosing")
    author.page.get_by_role("button", name="Publish").click()
    author.page.wait_for_load_state()
    assert "Your thread is published" in flash_text(author)
    url = author.page.url
    post_id = post_id_of(url)

    # A member finds it from the home page and reports it.
    flagger = new_session()
    flagger.log_in(demo_email("lupus_lou"))
    flagger.goto("/")
    flagger.page.get_by_role("link", name=title, exact=True).first.click()
    flagger.page.wait_for_load_state()
    assert post_id_of(flagger.page.url) == post_id
    flagger.page.get_by_role("link", name="Report this thread").click()
    flagger.page.wait_for_load_state()
    flagger.page.get_by_label("Unsafe medical claim or advice").check()
    flagger.page.get_by_label("Anything a moderator should know").fill(
        "Reads like dosing advice to me."
    )
    flagger.screenshot("journey-4-report")
    flagger.page.get_by_role("button", name="Send the report").click()
    flagger.page.wait_for_load_state()
    assert post_id_of(flagger.page.url) == post_id
    assert "Thank you — a moderator will look at it." in report_thanks(flagger, post_id)

    # The moderator removes it from the queue, with a reason.
    reason = unique("Please don't suggest changing doses; ask your care team. Ref ")
    moderator = new_session(viewport=DESKTOP)
    moderator.log_in(demo_email("mod_ana"))
    main_nav(moderator).get_by_role("link", name=re.compile(r"^Moderation")).click()
    moderator.page.wait_for_load_state()
    card = moderator.page.locator("article.queue-item").filter(has_text=title)
    assert card.count() == 1
    assert "Flagged" in card.locator("h2").inner_text()
    assert "Reads like dosing advice to me." in card.inner_text()
    card.locator("summary", has_text="Reject or remove").click()
    card.get_by_label("Reason (the author sees this)", exact=True).fill(reason)
    moderator.screenshot("journey-4-remove")
    card.get_by_role("button", name=re.compile(r"^Remove item \d+$")).click()
    moderator.page.wait_for_load_state()
    assert "Removed. The author has been told why." in flash_text(moderator)

    # Gone for everyone else: a 410 that says a moderator removed it and why, without its text.
    visitor = new_session()
    response = visitor.page.goto(url)
    assert response is not None and response.status == 410
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "This thread was removed"
    assert reason in visitor.page.inner_text("main")
    assert "My specialist said" not in visitor.page.content()

    # The author: a notification with the reason, which opens the post, which says why too.
    author.page.reload()
    assert unread_count(author) >= 1
    main_nav(author).get_by_role("link", name=re.compile(r"^Notifications")).click()
    author.page.wait_for_load_state()
    entry = author.page.locator("li.notification").filter(has_text=title)
    assert entry.count() == 1
    assert f"Your thread “{title}” was removed by a moderator: {reason}" in entry.inner_text()
    author.screenshot("journey-4-notification")
    entry.get_by_role("button", name=re.compile(r"^Open")).click()
    author.page.wait_for_load_state()
    removed = author.page.get_by_role("status").filter(has_text="Removed on")
    assert reason in removed.inner_text()
    assert "Other readers cannot see it." in removed.inner_text()
    # ... on their standing page, reached from their account ...
    main_nav(author).get_by_role("link", name="slowburn_sam").click()
    author.page.get_by_role("link", name="Moderation decisions about your writing").click()
    author.page.wait_for_load_state()
    assert author.page.get_by_role("heading", level=1).inner_text() == "Your standing"
    row = author.page.locator("table.log tr").filter(has_text=reason)
    assert row.count() == 1 and "Remove" in row.inner_text()
    author.screenshot("journey-4-standing")
    # ... and by email, with a link to the standing page.
    email = live_server.last_email(demo_email("slowburn_sam"), subject_contains=title)
    assert f"The moderator wrote: {reason}" in email
    assert "/account/standing" in email


# --- without JavaScript -------------------------------------------------------------------------


def reply_count(session: Session) -> int:
    return int(re.sub(r"\D", "", session.page.locator("#replies-heading").inner_text()))


def test_posting_and_replying_work_without_javascript(new_session, live_server):
    member = new_session(javascript=False)
    page = member.page
    member.log_in(demo_email("marathon_maybe"))

    title = unique("Infusion days without the fuss ")
    member.goto("/")
    main_nav(member).get_by_role("link", name="Write").click()
    page.wait_for_load_state()
    page.get_by_label("A story").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Your words").fill(
        "I bring a book and a flask of tea. The second infusion was easier than the first."
    )
    page.get_by_label("Tags", exact=True).fill("Remicade, Crohn's disease")
    page.get_by_label("How long have you been taking it?").fill("about a year")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "Your story is published" in flash_text(member)
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert "about a year" in page.locator("dl.experience").inner_text()
    chips = page.get_by_role("list", name="Tags").get_by_role("link").all_inner_texts()
    assert set(chips) == {"infliximab", "Crohn's disease"}, chips
    member.screenshot("journey-no-js-story")
    visitor = new_session(javascript=False)
    visitor.goto("/tags/remicade")
    assert visitor.page.url.endswith("/tags/infliximab")
    assert visitor.page.locator("#posts").get_by_role("link", name=title).is_visible()

    # A reply to someone's thread, found from the home page.
    member.goto("/")
    browse = page.get_by_role("region", name="Browse")
    browse.get_by_role("link", name="Ulcerative colitis", exact=True).click()
    page.wait_for_load_state()
    card = page.locator("#posts .post-card").filter(has=page.locator(".badge-thread")).first
    thread = card.locator("h3").inner_text().strip()
    card.get_by_role("link", name=thread, exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == thread
    before = reply_count(member)
    words = unique("Same for me: the tiredness eased after a few weeks. ")
    page.get_by_label("Your reply").fill(words)
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_load_state()
    assert "Your reply is posted." in flash_text(member)
    anchor = re.search(r"#(reply-\d+)$", page.url)
    assert anchor, page.url
    reply = page.locator(f"article#{anchor.group(1)}")
    assert words in reply.inner_text() and "marathon_maybe" in reply.inner_text()
    assert reply_count(member) == before + 1
    member.screenshot("journey-no-js-reply")
    visitor.goto(urlpath(page.url.split("#")[0], live_server))
    assert words in visitor.page.locator("section.replies").inner_text()
    # JavaScript really was off: the compose page names two scripts, and none was fetched.
    assert not [url for url in member.requests if url.endswith(".js")]


# --- journey 6: the keyboard alone --------------------------------------------------------------

FOCUSED = """
(within) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  const name = (el.getAttribute("aria-label") || label || el.innerText || el.value || "")
    .replace(/\\s+/g, " ").trim();
  const card = el.closest("article");
  return {
    tag: el.tagName.toLowerCase(),
    type: el.getAttribute("type") || "",
    id: el.id,
    name: name,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && style.outlineColor !== "rgba(0, 0, 0, 0)",
    shadow: style.boxShadow !== "none",
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth,
    inside: within ? Boolean(card && card.textContent.includes(within)) : true,
  };
}
"""


def describe(info: dict | None) -> str:
    if info is None:
        return "(nothing: the page itself)"
    return f"<{info['tag']}{' #' + info['id'] if info['id'] else ''}> {info['name'][:60]!r}"


def focused(session: Session, within: str | None = None) -> dict | None:
    return session.page.evaluate(FOCUSED, within)


def assert_focus_visible(info: dict | None) -> None:
    """Keyboard focus must show: an outline (or a box-shadow ring) on a control on screen."""
    assert info is not None, "focus is on nothing"
    assert info["outline"] or info["shadow"], f"no visible focus indicator on {describe(info)}"
    assert info["onScreen"], f"the focused control is off screen: {describe(info)}"


def matches(info: dict, name: str | re.Pattern) -> bool:
    if isinstance(name, re.Pattern):
        return bool(name.search(info["name"]))
    return info["name"] == name


def tab_to(
    session: Session, name: str | re.Pattern, *, within: str | None = None, limit: int = 150
) -> dict:
    """Press Tab until the control called `name` (inside the card mentioning `within`) has
    focus, checking that every control on the way shows its focus."""
    seen = []
    for _ in range(limit):
        session.page.keyboard.press("Tab")
        info = focused(session, within)
        if info is None:  # past the end of the page: the next Tab starts again at the top
            seen.append(describe(info))
            continue
        assert_focus_visible(info)
        seen.append(describe(info))
        if matches(info, name) and info["inside"]:
            return info
    raise AssertionError(f"Tab never reached {name!r}; it went through: {seen}")


def press_tab_expecting(session: Session, name: str | re.Pattern) -> dict:
    """The very next Tab stop is `name`."""
    session.page.keyboard.press("Tab")
    info = focused(session)
    assert info is not None and matches(info, name), (name, describe(info))
    assert_focus_visible(info)
    return info


def press_and_load(session: Session, key: str = "Enter") -> None:
    with session.page.expect_navigation():
        session.page.keyboard.press(key)
    session.page.wait_for_load_state()


def keyboard_log_in(session: Session, email: str, password: str = DEMO_PASSWORD) -> None:
    session.goto("/")
    tab_to(session, "Log in")
    press_and_load(session)
    assert session.page.url.split("?")[0].endswith("/login"), session.page.url
    tab_to(session, "Email address")
    session.page.keyboard.type(email)
    press_tab_expecting(session, "Password")
    session.page.keyboard.type(password)
    press_tab_expecting(session, "Keep me logged in on this device")
    press_tab_expecting(session, "Log in")
    press_and_load(session)
    assert "Welcome back" in flash_text(session), session.page.url


def test_the_key_steps_work_with_the_keyboard_alone(new_session, live_server):
    newcomer = sign_up_newcomer(new_session, live_server)
    title = unique("Keyboard only: my first month on Imuran ")

    # The newcomer logs in on another device, and writes and publishes a story.
    writer = new_session(viewport=DESKTOP)
    page = writer.page
    keyboard_log_in(writer, newcomer.email, NEWCOMER_PASSWORD)
    tab_to(writer, "Write")
    press_and_load(writer)
    assert page.url.endswith("/posts/new")
    tab_to(writer, re.compile(r"^A story"))
    page.keyboard.press("Space")
    assert page.get_by_label("A story").is_checked()
    press_tab_expecting(writer, "Title")
    page.keyboard.type(title)
    press_tab_expecting(writer, "Your words")
    page.keyboard.type("Slow start, steady since. I take it after dinner and feel fine.")
    press_tab_expecting(writer, "Tags")
    page.keyboard.type("Imuran, side effects")
    writer.screenshot("journey-6-compose")
    tab_to(writer, "Publish")
    press_and_load(writer)
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_role("status").filter(has_text="Waiting for review").is_visible()
    post_id = post_id_of(page.url)

    # A moderator approves it from the queue.
    moderator = new_session(viewport=DESKTOP)
    keyboard_log_in(moderator, demo_email("mod_ana"))
    tab_to(moderator, re.compile(r"^Moderation"))
    press_and_load(moderator)
    assert moderator.page.get_by_role("heading", level=1).inner_text() == "Review queue"
    tab_to(moderator, re.compile(r"^Approve item \d+$"), within=title, limit=600)
    moderator.screenshot("journey-6-approve-focused")
    press_and_load(moderator)
    assert "Approved: it is published now." in flash_text(moderator)
    (status,) = live_server.sql("SELECT status FROM posts WHERE id = :id", id=post_id)[0]
    assert status.lower() == "published"

    # A member opens it from the home page and reports it.
    flagger = new_session(viewport=DESKTOP)
    keyboard_log_in(flagger, demo_email("RA_and_roses"))
    tab_to(flagger, title, limit=300)
    press_and_load(flagger)
    assert post_id_of(flagger.page.url) == post_id
    tab_to(flagger, "Report this story")
    press_and_load(flagger)
    tab_to(flagger, "Spam or advertising")  # the first choice; the arrows move through them
    flagger.page.keyboard.press("ArrowDown")
    flagger.page.keyboard.press("ArrowDown")
    assert_focus_visible(focused(flagger))
    assert flagger.page.get_by_label("Unsafe medical claim or advice").is_checked()
    press_tab_expecting(flagger, "Anything a moderator should know (optional)")
    flagger.page.keyboard.type("Checking with the keyboard alone.")
    press_tab_expecting(flagger, "Send the report")
    flagger.screenshot("journey-6-report")
    press_and_load(flagger)
    assert "Thank you — a moderator will look at it." in report_thanks(flagger, post_id)
    flags = live_server.sql(
        "SELECT f.reason, f.details FROM flags f JOIN users u ON u.id = f.flagger_id"
        " WHERE f.post_id = :id AND u.pseudonym = 'RA_and_roses'",
        id=post_id,
    )
    assert [(r.lower(), d) for r, d in flags] == [
        ("unsafe_medical", "Checking with the keyboard alone.")
    ]


MARK_STOP = """
(index) => {
  const el = document.activeElement;
  if (el.dataset.tabStop !== undefined) return Number(el.dataset.tabStop);
  el.dataset.tabStop = String(index);
  return -1;
}
"""

# Everything Tab should reach, by the HTML rules: one stop per radio group, nothing disabled,
# hidden, in a closed <details> or with tabindex="-1".
MARK_EXPECTED = """
() => {
  const selector = 'a[href], button, input, select, textarea, summary, iframe, [tabindex],' +
    ' [contenteditable="true"]';
  let count = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.tabIndex < 0 || el.type === "hidden" || el.closest("[inert]")) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility !== "visible") continue;
    const details = el.parentElement && el.parentElement.closest("details");
    if (details && !details.open && !(el.tagName === "SUMMARY" && el.parentElement === details))
      continue;
    if (el.type === "radio") {
      const group = Array.from(document.getElementsByName(el.name))
        .filter((r) => r.type === "radio" && r.form === el.form);
      if ((group.find((r) => r.checked) || group[0]) !== el) continue;
    }
    el.dataset.expectedStop = "1";
    count += 1;
  }
  return count;
}
"""

TAB_REPORT = """
() => ({
  positive: Array.from(document.querySelectorAll("[tabindex]"))
    .filter((el) => el.tabIndex > 0).map((el) => el.outerHTML.slice(0, 120)),
  order: Array.from(document.querySelectorAll("[data-tab-stop]"))
    .map((el) => Number(el.dataset.tabStop)),
  missed: Array.from(document.querySelectorAll("[data-expected-stop]:not([data-tab-stop])"))
    .map((el) => el.outerHTML.slice(0, 120)),
})
"""

TAB_PAGES = [
    ("home", None, "/"),
    ("tag", "lupus_lou", "/tags/azathioprine"),
    ("compose", "lupus_lou", "/posts/new"),
    ("queue", "mod_ana", "/moderation/queue"),
]


def tab_round(session: Session, name: str) -> list[dict]:
    """Tab from the top of the page until focus comes round to the top again, checking each
    stop; then that nothing has a positive tabindex, that the stops follow the DOM, and that
    every control was reached. Returns the stops."""
    page = session.page
    positive = page.evaluate(TAB_REPORT)["positive"]
    assert not positive, f"{name}: positive tabindex on {positive}"
    expected = page.evaluate(MARK_EXPECTED)
    assert expected > 5, (name, expected)
    stops: list[dict] = []
    left_the_page = 0
    info = None
    for _ in range(expected + 10):
        page.keyboard.press("Tab")
        info = focused(session)
        if info is None:  # between the last control and the first: the browser's own stop
            left_the_page += 1
            assert left_the_page == 1, f"{name}: focus got lost after {describe(stops[-1])}"
            continue
        again = page.evaluate(MARK_STOP, len(stops))
        if again >= 0:
            assert again == 0, (
                f"{name}: Tab went back to stop {again} ({describe(stops[again])}) after "
                f"{describe(stops[-1])}: focus is trapped"
            )
            break  # round to the top again: no trap
        assert_focus_visible(info)
        stops.append(info)
    else:
        raise AssertionError(f"{name}: Tab never came back to the top; last: {describe(info)}")

    assert stops[0]["name"] == "Skip to content", describe(stops[0])
    report = page.evaluate(TAB_REPORT)
    assert report["order"] == sorted(report["order"]), f"{name}: Tab order is not the DOM order"
    assert not report["missed"], f"{name}: Tab never reached {report['missed']}"
    assert len(stops) >= expected
    return stops


@pytest.mark.parametrize(("name", "who", "path"), TAB_PAGES, ids=[p[0] for p in TAB_PAGES])
def test_tab_goes_through_every_control_in_order_and_out_again(new_session, name, who, path):
    if name == "queue":  # something to review: a thread the screening holds (a phone number)
        writer = new_session()
        writer.log_in(demo_email("Bea_in_Leeds"))
        writer.write_post(
            kind="thread",
            title=unique("Anyone in Leeds on mesalazine? "),
            body="Happy to compare notes. Ring me on 07700 900456 if you like.",
            tags="mesalazine, Ulcerative colitis",
            send_anyway=True,
        )
        assert writer.page.get_by_role("status").filter(has_text="Waiting for review").count()
    session = new_session(viewport=DESKTOP)
    page = session.page
    if who:
        keyboard_log_in(session, demo_email(who))
    session.goto(path)
    stops = tab_round(session, name)
    names = [stop["name"] for stop in stops]
    key_control = {
        "home": "Sign up",
        "tag": "Follow azathioprine",
        "compose": "Publish",
        "queue": "Approve item",
    }[name]
    assert any(n.startswith(key_control) for n in names), (name, names)

    # The skip link takes focus past the header, to the page's content.
    session.goto(path)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    session.screenshot(f"journey-6-tab-{name}")


def test_the_keyboard_checks_catch_what_they_should(session):
    """The checks above can fail: planted defects on a real page are found."""
    plants = {
        # Through the CSSOM: the site's CSP refuses a planted <style> element.
        "no visible focus indicator": "document.styleSheets[0].insertRule("
        "'footer a:focus-visible { outline: none !important }', 0);",
        "positive tabindex": "document.querySelector('footer a').tabIndex = 3;",
        "focus is trapped": "const b = document.querySelector('footer a');"
        " b.addEventListener('keydown', (e) => { if (e.key === 'Tab') {"
        " e.preventDefault(); document.querySelector('.site-nav a').focus(); } });",
        "focus got lost": "const x = document.createElement('button');"
        " x.textContent = 'Blurs'; x.addEventListener('focus', () => x.blur());"
        " document.querySelector('footer').append(x);",
        # A script that jumps over a button: Tab from the last link lands past it.
        "Tab never reached": "const links = document.querySelectorAll('footer a');"
        " const last = links[links.length - 1];"
        " const x = document.createElement('button'); x.textContent = 'Skipped';"
        " const after = document.createElement('span'); after.tabIndex = -1;"
        " after.textContent = 'after'; document.querySelector('footer').append(x, after);"
        " last.addEventListener('keydown', (e) => { if (e.key === 'Tab' && !e.shiftKey) {"
        " e.preventDefault(); after.focus(); } });",
    }
    for expected, script in plants.items():
        session.goto("/")
        session.page.evaluate(f"() => {{ {script} }}")
        try:
            tab_round(session, "planted")
        except AssertionError as err:
            assert expected in str(err), (expected, str(err))
        else:
            raise AssertionError(f"not caught: {expected}")
