"""Background jobs: RQ on Redis when REDIS_URL is set, run by `flask --app forum worker`;
otherwise (development, tests) jobs run inline, right after the request's commit.

Jobs are registered by name when the app is created (`register`, from create_app), and enqueued
by that name, so the domain can ask for a job the web layer defines (one that composes emails)
without naming, importing or being imported by it. The queue carries the name and arguments;
the worker, an app built by create_app, looks the function up in the same registry.

Enqueue only after committing: a worker may pick the job up at once, and it must see the data.
Every job re-reads what it needs and checks it is still published before telling anyone.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

QUEUE_NAME = "cohort"
_REGISTRY = "cohort.jobs"  # app.extensions key: {job name: function}


def register(app: Flask, name: str, func: Callable[..., object]) -> None:
    """Make `func` runnable as the job `name` in this app (create_app registers every job)."""
    app.extensions.setdefault(_REGISTRY, {})[name] = func


def run(name: str, *args) -> object:
    """Run the registered job `name` now (the worker calls this for each queued job). Raises
    KeyError for a name no feature registered."""
    return current_app.extensions[_REGISTRY][name](*args)


def _queue():
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(current_app.config["REDIS_URL"]))


def enqueue(name: str, *args) -> None:
    """Run the registered job `name` with `args` in the background (RQ), or now if there is
    no Redis. Raises KeyError at once for a name no feature registered."""
    current_app.extensions[_REGISTRY][name]  # noqa: B018 - an unknown name fails here, not later
    if current_app.config.get("JOBS_INLINE") or not current_app.config.get("REDIS_URL"):
        run(name, *args)
        return
    _queue().enqueue(run, name, *args, job_timeout=600, result_ttl=0, failure_ttl=7 * 24 * 3600)


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
