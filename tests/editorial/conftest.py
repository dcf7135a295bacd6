"""Shared set-up for editorial tests: an editor signed in through the real login form."""

from __future__ import annotations

import pytest

from forum.domain.models import Tag, TagAlias
from forum.extensions import db
from tests.factories import login, make_user


@pytest.fixture
def editor(app):
    """An editor's id; `editor_client` is signed in as them."""
    with app.app_context():
        return make_user(pseudonym="dana_editor", email="dana@example.test", role="editor").id


@pytest.fixture
def editor_client(app, editor):
    client = app.test_client()
    assert login(client, "dana@example.test").status_code == 302
    return client


def tag_named(name: str) -> Tag:
    """A tag by its exact current name (call inside an app context)."""
    return db.session.scalar(db.select(Tag).where(Tag.name == name))


def alias_names(tag: Tag) -> set[str]:
    return set(db.session.scalars(db.select(TagAlias.name).where(TagAlias.tag_id == tag.id)))
