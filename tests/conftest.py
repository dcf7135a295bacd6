"""Fixtures: a fresh app and database per test, through the real app factory.

SQLite (default): a new database file per test. PostgreSQL: set TEST_DATABASE_URL; the schema is
created once per run and every table is truncated before each test.

Create data inside `with app.app_context():` and leave it before using `client`: on Flask 3.1 a
request reuses an already pushed context, which would leak `g` and the session into the test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from forum import create_app
from forum.config import database_url
from forum.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
ON_POSTGRES = bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith(("postgres", "postgresql"))


def base_config(uri: str) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SERVER_NAME": "localhost",
    }


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[None]:
    """Create the schema once per run on PostgreSQL."""
    if not ON_POSTGRES:
        yield
        return
    app = create_app(base_config(database_url(TEST_DATABASE_URL)))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield


@pytest.fixture
def app(tmp_path, _postgres_schema):
    uri = database_url(TEST_DATABASE_URL) if ON_POSTGRES else f"sqlite:///{tmp_path / 'forum.db'}"
    app = create_app(base_config(uri))
    with app.app_context():
        if ON_POSTGRES:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        else:
            db.create_all()
        # What `flask db upgrade` installs: the shipped screening rules.
        from forum.domain.services.screening import install_default_rules

        install_default_rules()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counter: client.get(...)`, then counter.count."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def record(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def bounded_page(app, count_queries):
    """`html = bounded_page(client, url, grow=..., at_most=N)`: load `url`, call `grow()` in an
    app context, load `url` again; the second load must cost as many queries as the first, and at
    most N. Returns the second page, for the test to check it really shows the larger world."""

    def load(client, url: str) -> tuple[QueryCounter, str]:
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        return counter, response.get_data(as_text=True)

    def check(client, url: str, *, grow: Callable[[], object], at_most: int) -> str:
        few, _ = load(client, url)
        with app.app_context():
            grow()
        many, html = load(client, url)
        assert many.count == few.count, many.statements
        assert many.count <= at_most, many.statements
        return html

    return check
