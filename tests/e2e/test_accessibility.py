"""Accessibility of the pages people use most, in Chromium: axe-core (bundled with
axe-playwright-python, never from a CDN) at WCAG 2.2 A and AA, touch targets of at least 24 x 24
CSS px, at phone and desktop widths. Every page is also screenshotted to tests/e2e/screenshots/,
and (through the session fixture) must not make the browser ask any other host for anything."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, Session, demo_email

pytestmark = pytest.mark.e2e

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# (name, who is signed in, path). Paths with {...} are filled from the demo database.
PAGES = [
    ("home", None, "/"),
    ("tag", None, "/tags/azathioprine"),
    ("post", None, "/posts/{busiest_post}"),
    ("article", None, "/articles/{overview}"),
    ("search", None, "/search?q=tired"),
    ("signup", None, "/signup"),
    ("login", None, "/login"),
    ("compose", "slowburn_sam", "/posts/new"),
    ("feed", "slowburn_sam", "/feed"),
    ("notifications", "slowburn_sam", "/notifications"),
    ("moderation-queue", "mod_ana", "/moderation/queue"),
]


def _fill(path: str, server) -> str:
    if "{busiest_post}" in path:
        (post_id,) = server.sql(
            "SELECT post_id FROM replies GROUP BY post_id ORDER BY count(*) DESC, post_id LIMIT 1"
        )[0]
        path = path.replace("{busiest_post}", str(post_id))
    if "{overview}" in path:
        (slug,) = server.sql(
            "SELECT slug FROM articles WHERE kind = 'overview' AND status = 'published'"
            " ORDER BY id LIMIT 1"
        )[0]
        path = path.replace("{overview}", slug)
    return path


def axe_violations(session: Session) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        session.page,
        options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
    )
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at "
                f"{node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return found


SMALL_TARGETS = """
() => {
  const tooSmall = [];
  const selector = 'button, input:not([type=hidden]), select, textarea, summary, ' +
    'a.button, nav a, .actions a, .tag-chip, [role=button]';
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || style.visibility === 'hidden' || el.closest('.visually-hidden')) {
      continue;
    }
    // Checkboxes and radios count with their label, which is part of the target.
    let w = box.width, h = box.height;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      const label = el.labels[0].getBoundingClientRect();
      w = Math.max(w, label.right - Math.min(box.left, label.left));
      h = Math.max(h, label.height);
    }
    if (w < 24 || h < 24) {
      tooSmall.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ` +
        `"${(el.innerText || el.value || el.name || '').trim().slice(0, 30)}" ` +
        `${Math.round(w)}x${Math.round(h)}`);
    }
  }
  return tooSmall;
}
"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_key_pages_have_no_wcag_22_aa_violations(new_session, live_server, viewport):
    sessions: dict[str | None, Session] = {}
    problems: dict[str, list[str]] = {}
    audited = 0
    # Something for the queue to show: a post the screening holds (a phone number in it).
    writer = new_session(viewport=viewport)
    writer.log_in(demo_email("TPMT_tess"))
    writer.write_post(
        kind="thread",
        title=f"Anyone near Leeds on azathioprine? ({viewport['width']})",
        body="Happy to swap notes over coffee. Call me on 07700 900123 if you want to chat.",
        tags="Imuran, Crohn's disease",
        send_anyway=True,
    )
    for name, who, path in PAGES:
        if who not in sessions:
            sessions[who] = new_session(viewport=viewport)
            if who:
                sessions[who].log_in(demo_email(who))
        session = sessions[who]
        session.goto(_fill(path, live_server))
        if name == "moderation-queue":
            assert "Anyone near Leeds" in session.page.inner_text("main")
        session.page.wait_for_load_state("networkidle")
        found = axe_violations(session) + [
            f"target under 24x24: {t}" for t in session.page.evaluate(SMALL_TARGETS)
        ]
        if found:
            problems[name] = found
        session.screenshot(name)
        audited += 1
    assert audited == len(PAGES)
    assert not problems, "\n".join(f"{page}: {line}" for page, v in problems.items() for line in v)


def test_forms_with_errors_stay_accessible(new_session):
    """The states people meet when something goes wrong: the error summary and the fields."""
    session = new_session(viewport=PHONE)
    session.goto("/signup")
    session.page.get_by_role("button", name="Create account").click()
    session.page.wait_for_load_state()
    assert session.page.locator(".error-summary").is_visible()
    found = axe_violations(session)
    session.screenshot("signup-errors")
    assert not found, "\n".join(found)


def test_the_audit_catches_what_it_should(session):
    """The checks above can fail: planted defects on a real page (under its CSP) are found."""
    session.goto("/")
    session.page.evaluate(
        """() => {
          const main = document.querySelector('main');
          const img = document.createElement('img');
          img.src = '/static/favicon.svg';  // no alt text
          main.prepend(img);
          const tiny = document.createElement('button');
          tiny.textContent = 'x';
          tiny.style.cssText = 'width:12px;height:12px;padding:0;min-height:0;min-width:0';
          main.prepend(tiny);
        }"""
    )
    found = axe_violations(session)
    assert any(line.startswith("image-alt") for line in found), found
    small = session.page.evaluate(SMALL_TARGETS)
    assert any("12x12" in line for line in small), small
