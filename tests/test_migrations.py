"""Migrations build an empty database to head, match the models, and go back down cleanly.

Runs on SQLite always, and on a fresh PostgreSQL database when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text

from forum import create_app
from forum.config import database_url
from forum.domain.models.search import managed_outside_metadata
from forum.extensions import db
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL, base_config


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    if not ON_POSTGRES:
        pytest.skip("set TEST_DATABASE_URL to a PostgreSQL URL to run this on PostgreSQL")
    url = make_url(database_url(TEST_DATABASE_URL))
    name = f"{url.database}_migrations"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_to_head_matches_the_models_and_downgrades(empty_database):
    app = create_app(base_config(empty_database))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as conn:
            opts = {"compare_type": True, "include_object": managed_outside_metadata}
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
            assert diff == [], diff
            tables = set(inspect(conn).get_table_names())
        assert set(db.metadata.tables) <= tables
    # `flask db check` is what a contributor runs: it fails if a model change lacks a migration.
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrades_keep_existing_rows(empty_database):
    """Later migrations must work on a database that already has members and posts (a NOT NULL
    column without a server default only fails here, never on an empty database)."""
    from alembic.script import ScriptDirectory

    app = create_app(base_config(empty_database))
    runner = app.test_cli_runner()
    with app.app_context():
        scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        first = [rev.revision for rev in scripts.walk_revisions()][-1]
    assert runner.invoke(args=["db", "upgrade", first]).exit_code == 0
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (pseudonym, pseudonym_key, email, role, status, session_version,"
                " created_at, updated_at) VALUES ('early', 'early', 'early@example.test', 'member',"
                " 'active', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO tags (kind, name, name_key, slug, definition, description, created_at,"
                " updated_at, listing_version) VALUES ('drug', 'azathioprine', 'azathioprine',"
                " 'azathioprine', '', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0)"
            )
        )
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT digest_frequency FROM users")).scalar_one() == "weekly"
        db.engine.dispose()
