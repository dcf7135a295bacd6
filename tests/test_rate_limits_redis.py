"""With REDIS_URL set, rate limits are kept in Redis, shared by every worker process."""

from __future__ import annotations

import pytest
import redis

from forum import create_app
from forum.config import load_config
from forum.extensions import db
from tests.conftest import base_config

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI and production machines have one)")
    client.flushdb()  # database 15 is ours alone, for this test
    yield client
    client.flushdb()
    client.close()


def test_redis_url_selects_redis_storage(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    assert load_config(str(tmp_path))["RATELIMIT_STORAGE_URI"] == REDIS_URL
    monkeypatch.delenv("REDIS_URL")
    assert load_config(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "memory://"


def test_limits_are_shared_between_app_processes_through_redis(app, redis_client):
    config = {
        **base_config(app.config["SQLALCHEMY_DATABASE_URI"]),
        "RATELIMIT_STORAGE_URI": REDIS_URL,
    }
    first, second = create_app(config), create_app(config)  # two workers, one Redis
    try:
        for i in range(5):
            worker = first if i % 2 == 0 else second
            response = worker.test_client().post(
                "/login", data={"email": "x@example.test", "password": f"wrong {i}"}
            )
            assert response.status_code == 200
        blocked = second.test_client().post(
            "/login", data={"email": "x@example.test", "password": "again"}
        )
        assert blocked.status_code == 429
        keys = [k.decode() for k in redis_client.scan_iter("*")]
        assert any("login" in k for k in keys), keys  # the counters live in Redis
    finally:
        for worker in (first, second):
            with worker.app_context():
                db.engine.dispose()
