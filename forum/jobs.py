"""Background jobs: RQ on Redis when REDIS_URL is set, run by `flask --app forum worker`;
otherwise (development, tests) jobs run inline, right after the request's commit.

Enqueue only after committing: a worker may pick the job up at once, and it must see the data.
Every job re-reads what it needs and checks it is still published before telling anyone.
"""

from __future__ import annotations

import importlib

from flask import current_app

QUEUE_NAME = "cohort"


def _queue():
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(current_app.config["REDIS_URL"]))


def enqueue(func: str, *args) -> None:
    """Run the job named "module.function" with `args` in the background (RQ), or now if
    there is no Redis. Jobs are named, not imported, so the domain can enqueue web-layer
    jobs (which compose emails) without importing them."""
    if current_app.config.get("JOBS_INLINE") or not current_app.config.get("REDIS_URL"):
        module, _, name = func.rpartition(".")
        getattr(importlib.import_module(module), name)(*args)
        return
    _queue().enqueue(func, *args, job_timeout=600, result_ttl=0, failure_ttl=7 * 24 * 3600)


def run_worker(*, burst: bool = False) -> None:
    """Process jobs in this process, inside the current app context (no fork per job), with a
    fresh database session for each job."""
    from rq import SimpleWorker

    from forum.extensions import db

    class AppWorker(SimpleWorker):
        def perform_job(self, *args, **kwargs):
            try:
                return super().perform_job(*args, **kwargs)
            finally:
                db.session.remove()

    queue = _queue()
    AppWorker([queue], connection=queue.connection).work(burst=burst)
