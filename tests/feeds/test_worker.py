"""With Redis, fan-out leaves the publishing request and runs in the worker."""

from __future__ import annotations

import pytest
import redis

from forum.domain.models import Notification
from forum.extensions import db
from tests.feeds.conftest import publish, signed_in

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def queued(app):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI and production machines have one)")
    client.flushdb()
    app.config["REDIS_URL"] = REDIS_URL
    yield app
    client.flushdb()
    client.close()


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Notification.id)))


def test_publishing_enqueues_and_the_worker_fans_out(queued, community, runner):
    writer = signed_in(queued, "writer@example.test")
    assert publish(writer, title="Queued post").status_code == 302
    assert count(queued) == 0  # the request only enqueued the job
    with queued.app_context():
        from rq import Queue

        assert Queue("cohort", connection=redis.Redis.from_url(REDIS_URL)).count == 1
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert count(queued) == 1


def test_worker_needs_redis(app, runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "Set REDIS_URL" in result.output
