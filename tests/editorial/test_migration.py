"""The editorial migration alters `tags` on SQLite by copying the table; with foreign keys on,
dropping the original would cascade into every alias and post tag. Rows must survive."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from forum import create_app
from forum.extensions import db
from tests.conftest import base_config

EDITORIAL = "467206afcfde"


@pytest.fixture(autouse=True)
def _keep_loggers():
    """Alembic's env.py runs logging.config.fileConfig, which disables every logger that exists
    (the app's among them); later tests that read the log need them back."""

    def loggers():
        return [
            logger
            for logger in logging.root.manager.loggerDict.values()
            if isinstance(logger, logging.Logger)
        ]

    disabled_before = {id(logger) for logger in loggers() if logger.disabled}
    root = (logging.root.level, list(logging.root.handlers))
    yield
    for logger in loggers():
        if id(logger) not in disabled_before:
            logger.disabled = False
    logging.root.setLevel(root[0])
    logging.root.handlers[:] = root[1]


def test_upgrade_keeps_aliases_and_post_tags(tmp_path):
    from alembic.script import ScriptDirectory

    app = create_app(base_config(f"sqlite:///{tmp_path / 'upgrade.db'}"))
    runner = app.test_cli_runner()
    with app.app_context():
        scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        before = scripts.get_revision(EDITORIAL).down_revision
    assert runner.invoke(args=["db", "upgrade", before]).exit_code == 0
    rows = [
        "INSERT INTO users (id, pseudonym, pseudonym_key, email, role, status, session_version,"
        " created_at, updated_at) VALUES (1, 'early', 'early', 'early@example.test', 'member',"
        " 'active', 1, :at, :at)",
        "INSERT INTO tags (id, kind, name, name_key, slug, definition, description, created_at,"
        " updated_at, listing_version) VALUES (1, 'drug', 'azathioprine', 'azathioprine',"
        " 'azathioprine', '', '', :at, :at, 0)",
        "INSERT INTO tag_aliases (tag_id, name, name_key, slug, kind, created_at)"
        " VALUES (1, 'Imuran', 'imuran', 'imuran', 'brand', :at)",
        "INSERT INTO posts (id, kind, status, author_id, title, slug, excerpt, body,"
        " body_html_version, last_activity_at, reply_count, created_at, updated_at)"
        " VALUES (1, 'story', 'published', 1, 'Hi', 'hi', '', 'Hi', 0, :at, 0, :at, :at)",
        "INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1)",
    ]
    with app.app_context(), db.engine.begin() as conn:
        for row in rows:
            conn.execute(text(row), {"at": "2026-01-01 00:00:00"})
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name, source FROM tag_aliases")).all() == [
                ("Imuran", "")
            ]
            assert conn.execute(text("SELECT post_id, tag_id FROM post_tags")).all() == [(1, 1)]
            assert conn.execute(text("SELECT merged_into_id FROM tags")).scalar_one() is None
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        db.engine.dispose()
