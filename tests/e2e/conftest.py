"""The browser suite: Cohort served by gunicorn on a free port, driven by Playwright in Debian's
Chromium (never a downloaded browser).

The server is started once per run with a fresh database: a new SQLite file, or, when
TEST_DATABASE_URL points at PostgreSQL, a new database created beside it and dropped after. It is
migrated and loaded with the demo exactly as `make run` does, with ten posts per page so the demo's
drug pages have several "view more" pages.

Every test gets its own browser context (no shared cookies). Each context records every request
the browser makes; after the test, any request to a host other than the app fails it (privacy).

Without Chromium the suite is skipped with a clear reason, unless E2E_REQUIRED=1 (CI sets it),
which makes a missing browser an error. CHROMIUM names another executable.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DEMO_PASSWORD = "e2e-demo-password-7"  # noqa: S105 - the throwaway demo's password
DEMO_DOMAIN = "demo.cohort.invalid"
POSTS_PER_PAGE = 10
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    wanted = os.environ.get("CHROMIUM")
    if wanted:
        return wanted if Path(wanted).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    ours = [item for item in items if Path(str(item.fspath)).resolve().is_relative_to(here)]
    if not ours:
        return
    problem = None
    if chromium_path() is None:
        problem = "Chromium not found (apt-get install -y chromium, or set CHROMIUM)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            problem = "Playwright not installed (make test installs it)"
    if problem is None:
        return
    if os.environ.get("E2E_REQUIRED") == "1":
        raise pytest.UsageError(f"E2E_REQUIRED=1 but the browser suite cannot run: {problem}")
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=f"browser suite skipped: {problem}"))


# --- the server ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    database_url: str
    log: Path
    _engine: object = field(default=None, repr=False)

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def engine(self):
        if self._engine is None:
            from sqlalchemy import create_engine

            from forum.config import database_url

            self._engine = create_engine(database_url(self.database_url))
        return self._engine

    def sql(self, statement: str, **params) -> list[tuple]:
        """Read the server's database directly (emails in the outbox, ids)."""
        from sqlalchemy import text

        with self.engine().connect() as conn:
            return [tuple(row) for row in conn.execute(text(statement), params)]

    def last_email(self, to: str, *, subject_contains: str = "") -> str:
        """The text of the newest email to an address (waiting briefly for it to be written)."""
        for _ in range(50):
            rows = self.sql(
                "SELECT subject, body_text FROM outbox_emails WHERE to_address = :to"
                " ORDER BY id DESC",
                to=to,
            )
            for subject, body in rows:
                if subject_contains in subject:
                    return body
            time.sleep(0.1)
        raise AssertionError(f"no email to {to} about {subject_contains!r}")

    def link_in_email(self, to: str, path_prefix: str, *, subject_contains: str = "") -> str:
        body = self.last_email(to, subject_contains=subject_contains)
        for url in re.findall(r"https?://\S+", body):
            if urlsplit(url).path.startswith(path_prefix):
                return url
        raise AssertionError(f"no {path_prefix} link in the email to {to}:\n{body}")


def _postgres_database() -> tuple[str, callable] | None:
    """A fresh PostgreSQL database next to TEST_DATABASE_URL, and how to drop it."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        return None
    import psycopg

    admin = re.sub(r"^postgresql\+psycopg://", "postgresql://", url)
    name = f"cohort_e2e_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    parts = urlsplit(admin)
    return parts._replace(path=f"/{name}").geturl(), drop


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("e2e")
    created = _postgres_database()
    database = created[0] if created else f"sqlite:///{workdir / 'forum.sqlite3'}"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL", "REDIS_URL"}},
        "DATABASE_URL": database,
        "COHORT_ENV": "development",  # plain-HTTP cookies; email goes to the outbox and the log
        "SECRET_KEY": os.urandom(24).hex(),
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "POSTS_PER_PAGE": str(POSTS_PER_PAGE),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    bin_dir = Path(sys.executable).parent
    flask = [str(bin_dir / "flask"), "--app", "forum"]
    for step in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [*flask, *step], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
        )
    log = workdir / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "8",
                "--access-logfile",
                "-",
                "forum:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"the server did not answer:\n{log.read_text()[-3000:]}")
        live = LiveServer(url=url, database_url=database, log=log)
        yield live
        if live._engine is not None:
            live._engine.dispose()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if created:
            created[1]()


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@dataclass
class Session:
    """A browser context (its own cookies) with every request it made."""

    context: object
    page: object
    server: LiveServer
    requests: list[str] = field(default_factory=list)

    def goto(self, path: str):
        response = self.page.goto(self.server.url + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        return response

    def log_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url, self.page.url

    def write_post(
        self, *, kind: str, title: str, body: str, tags: str, send_anyway: bool = False
    ) -> None:
        """Fill in /posts/new as a member would and press Publish."""
        page = self.page
        self.goto("/posts/new")
        page.get_by_label("A story" if kind == "story" else "A thread").check()
        page.get_by_label("Title").fill(title)
        page.get_by_label("Your words").fill(body)
        page.get_by_label("Tags", exact=True).fill(tags)
        page.get_by_role("button", name="Publish").click()
        page.wait_for_load_state()
        if send_anyway:
            page.get_by_label("Send it as it is").check()
            page.get_by_role("button", name="Publish").click()
            page.wait_for_load_state()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        width = self.page.viewport_size["width"]
        path = SCREENSHOTS / f"{name}-{width}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def third_party_requests(self) -> list[str]:
        own = urlsplit(self.server.url).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob", "about"} and urlsplit(url).netloc != own
        ]


@pytest.fixture
def new_session(browser, live_server):
    """new_session(viewport=..., javascript=True) -> Session; several per test are fine."""
    opened: list[Session] = []

    def make(*, viewport: dict | None = None, javascript: bool = True) -> Session:
        context = browser.new_context(
            viewport=viewport or PHONE,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        session = Session(context=context, page=page, server=live_server)
        context.on("request", lambda request: session.requests.append(request.url))
        opened.append(session)
        return session

    yield make
    leaks = {url for session in opened for url in session.third_party_requests()}
    for session in opened:
        session.context.close()
    assert not leaks, f"the browser asked other hosts for: {sorted(leaks)}"


@pytest.fixture
def session(new_session) -> Session:
    return new_session()


def unique(prefix: str) -> str:
    """`prefix` and eight random letters. Letters only: a run of digits in a title can read as a
    phone number to the personal-data screening, which then asks the author to confirm."""
    return prefix + uuid.uuid4().hex[:8].translate(_DIGITS_TO_LETTERS)


_DIGITS_TO_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def demo_email(pseudonym: str) -> str:
    return f"{pseudonym.lower()}@{DEMO_DOMAIN}"
