"""Posting tests are about writing, not review."""

from __future__ import annotations

import pytest

from forum.extensions import db


@pytest.fixture(autouse=True)
def _first_posts_publish_directly(app):
    """Members' first posts are held for a moderator by default (holds.decide); here they
    publish at once, so each test needs no posting history. Screening and who may post still
    apply, and the moderation tests cover the hold itself."""
    from forum.domain.models import SiteSetting

    with app.app_context():
        db.session.add(SiteSetting(key="held_first_posts", value="0"))
        db.session.commit()
