"""Benchmark the read side on PostgreSQL with a million posts.

    .venv/bin/python tests/bench/bench.py [--database-url URL] [--posts 1000000] [--seconds 20]

Builds the data set if the database has fewer posts than asked (migrations, seed-demo, seed-bulk),
then serves the app and a bare 20 KB Flask route under gunicorn with 2 sync workers, and loads
each page from separate client processes. Reports requests per second, and the app's own time
per request (p50/p99, from the Server-Timing header) for:

  bare      the fixed 20 KB page (the baseline)
  tag       the busiest tag page, first page
  deep      the same tag page 5,000 "view more" pages in (keyset cursor)
  post      a post page with 50 replies
  search    /search for a common word, a rare word, a drug by brand name, a phrase, and a
            filtered query (server time p50/p99 over all of them)
  publish   publishing a story to a tag with 10,000 followers (fan-out queued to Redis), in
            process with the app's own timing; and how long the worker's fan-out takes

Results are printed and written to bench-results/<timestamp>.json (ignored by git).
It is not collected by pytest: timings belong here, not in unit tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DEEP_PAGES = 5_000
PAGE_SIZE = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "forum", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def ensure_data(env: dict, posts: int) -> None:
    import psycopg

    flask(env, "db", "upgrade")
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        have = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    if have >= posts:
        print(f"Data set ready: {have:,} posts.")
        return
    print(f"Building the data set ({have:,} posts now, {posts:,} wanted)...")
    flask(env, "seed-demo")
    started = time.perf_counter()
    print(
        flask(
            env,
            "seed-bulk",
            "--posts",
            str(posts - have),
            "--replies",
            str(posts // 2),
            "--members",
            "5000",
        ).strip()
    )
    print(f"seed-bulk took {time.perf_counter() - started:.0f}s")


def pick_urls(env: dict) -> dict[str, str]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        tag_id, slug = conn.execute(
            "SELECT t.id, t.slug FROM tags t JOIN post_tags pt ON pt.tag_id = t.id"
            " WHERE pt.listed_at IS NOT NULL GROUP BY t.id, t.slug ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        listed = conn.execute(
            "SELECT count(*) FROM post_tags WHERE tag_id = %s AND listed_at IS NOT NULL", (tag_id,)
        ).fetchone()[0]
        offset = DEEP_PAGES * PAGE_SIZE - 1
        if listed <= offset + PAGE_SIZE:
            raise SystemExit(f"/tags/{slug} has only {listed:,} posts; need more for the deep page")
        at, post_id = conn.execute(
            "SELECT listed_at, post_id FROM post_tags WHERE tag_id = %s AND listed_at IS NOT NULL"
            " ORDER BY listed_at DESC, post_id DESC OFFSET %s LIMIT 1",
            (tag_id, offset),
        ).fetchone()
        post_id50, post_slug = conn.execute(
            "SELECT id, slug FROM posts WHERE reply_count = 50 AND status = 'published'"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    micros = (at.replace(tzinfo=UTC) - epoch) // timedelta(microseconds=1)
    print(f"Busiest tag: /tags/{slug} with {listed:,} posts")
    return {
        "tag": f"/tags/{slug}",
        "deep": f"/tags/{slug}?before={micros}.{post_id}",
        "post": f"/posts/{post_id50}/{post_slug}",
    }


def start_gunicorn(app_spec: str, port: int, env: dict, cwd: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        cwd=cwd,
        env=env,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn did not start on port {port}")


def _client(port: int, path: str, seconds: float, queue) -> None:
    done, server_ms, errors = 0, [], 0
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
            timing = response.getheader("Server-Timing")
            if timing and "dur=" in timing:
                server_ms.append(float(timing.split("dur=")[1]))
            done += 1
        except OSError:
            errors += 1
        finally:
            conn.close()
    queue.put((done, server_ms, errors))


def load(port: int, path: str, seconds: float, clients: int) -> dict:
    _client(port, path, 1.0, multiprocessing.Queue())  # warm up both workers' caches
    queue = multiprocessing.Queue()
    procs = [
        multiprocessing.Process(target=_client, args=(port, path, seconds, queue))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    done = sum(r[0] for r in results)
    timings = sorted(ms for r in results for ms in r[1])
    out = {
        "path": path,
        "requests": done,
        "errors": sum(r[2] for r in results),
        "rps": round(done / elapsed, 1),
        "_timings": timings,
    }
    if timings:
        out["p50_ms"] = round(statistics.median(timings), 2)
        out["p99_ms"] = round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2)
    return out


SEARCHES = {
    "search common": "/search?q=breakfast",
    "search rare": "/search?q=secateurs",
    "search alias": "/search?q=Imuran",
    "search phrase": '/search?q="prior+authorization"',
    "search filter": "/search?q=tired&kind=thread&tag=azathioprine",
}


def percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2),
    }


def search_load(port: int, seconds: float, clients: int) -> dict:
    """Each query in turn; the app's own time is what the targets are about."""
    out, timings = {}, []
    for name, path in SEARCHES.items():
        result = load(port, path, max(5.0, seconds / 2), clients)
        out[name] = result
        timings += result["_timings"]
    out["search (all)"] = {
        "path": "all of the above",
        "requests": len(timings),
        "errors": 0,
        **percentiles(timings),
    }
    return out


FOLLOWERS = 10_000


def publish_bench(env: dict, redis_url: str, rounds: int = 60) -> dict:
    """Publish stories (through the real form and services, in process) to a tag with
    FOLLOWERS followers in notify mode; fan-out is queued to Redis, then one job is timed."""
    import redis as redis_lib
    from rq import Queue
    from sqlalchemy import text

    os.environ.update({"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"]})
    from forum import create_app
    from forum.domain.models import User
    from forum.extensions import db

    redis_lib.Redis.from_url(redis_url).flushdb()
    app = create_app(
        {
            "SERVER_TIMING": True,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "REDIS_URL": redis_url,
        }
    )
    with app.app_context():
        tag_id, slug = db.session.execute(
            text("SELECT id, slug FROM tags WHERE slug = 'methotrexate'")
        ).one()
        # Enough members to follow it (the bulk set makes 5,000).
        db.session.execute(
            text(
                "INSERT INTO users (pseudonym, pseudonym_key, email, password_hash, role, status,"
                " email_verified_at, session_version, created_at, updated_at, digest_frequency,"
                " email_notifications)"
                " SELECT 'follower_' || i, 'follower_' || i, 'follower_' || i"
                " || '@bulk.cohort.invalid', 'x', 'member', 'active', now(), 1, now(), now(),"
                " 'never', false FROM generate_series(1, :n) AS i ON CONFLICT DO NOTHING"
            ),
            {"n": FOLLOWERS},
        )
        db.session.execute(
            text(
                "INSERT INTO tag_follows (user_id, tag_id, mode, created_at)"
                " SELECT id, :t, 'notify', now() FROM users WHERE id NOT IN"
                " (SELECT user_id FROM tag_follows WHERE tag_id = :t) ORDER BY id"
                " LIMIT greatest(0, :n - (SELECT count(*) FROM tag_follows WHERE tag_id = :t))"
            ),
            {"t": tag_id, "n": FOLLOWERS},
        )
        db.session.commit()
        followers = db.session.execute(
            text("SELECT count(*) FROM tag_follows WHERE tag_id = :t AND mode = 'notify'"),
            {"t": tag_id},
        ).scalar_one()
        writer = db.session.scalar(
            db.select(User).where(User.pseudonym_key.like("bulk%")).order_by(User.id)
        )
        login_id = writer.get_id()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = login_id
        sess["_fresh"] = True
    publish_ms = []
    for i in range(rounds):
        response = client.post(
            "/posts/new",
            data={
                "kind": "story",
                "title": f"Benchmark story number {i}",
                "body": "A quiet week on weekly methotrexate. Folic acid the day after.",
                "tags": slug,
            },
        )
        if response.status_code != 302:
            import re

            html = response.get_data(as_text=True)
            found = re.findall(
                r"(?:error-summary|pii-check|notice)[^>]*>(.*?)</(?:div|p)>", html, re.S
            )
            raise SystemExit(f"publishing failed: {response.status_code} {found[:2]}")
        publish_ms.append(float(response.headers["Server-Timing"].split("dur=")[1]))
    queue = Queue("cohort", connection=redis_lib.Redis.from_url(redis_url))
    queued = queue.count
    fan_ms = []
    with app.app_context():
        for job in queue.jobs[:10]:
            started = time.perf_counter()
            job.perform()
            fan_ms.append((time.perf_counter() - started) * 1000)
            db.session.remove()
    queue.empty()
    return {
        "publish": {
            "path": f"POST /posts/new tagged {slug}",
            "requests": rounds,
            "errors": 0,
            "followers": followers,
            "queued_jobs": queued,
            **percentiles(publish_ms),
        },
        "fan-out": {
            "path": f"one worker job: notify {followers:,} followers",
            "requests": len(fan_ms),
            "errors": 0,
            **percentiles(fan_ms),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgresql://root@127.0.0.1:5432/cohort_bench")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--only", default="pages,search,publish", help="comma-separated: pages, search, publish"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if urlsplit(args.database_url).scheme not in ("postgresql", "postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL.")

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": "benchmark-only",
        "SERVER_TIMING": "1",
        "COHORT_ENV": "production",
        "RATELIMIT_ENABLED": "0",
    }
    ensure_data(env, args.posts)
    urls = pick_urls(env)

    results = {}
    if only & {"pages", "search"}:
        app_port, bare_port = free_port(), free_port()
        servers = [
            start_gunicorn("forum:create_app()", app_port, env, ROOT),
            start_gunicorn("bare_app:app", bare_port, env, Path(__file__).parent),
        ]
        try:
            if "pages" in only:
                results["bare"] = load(bare_port, "/", args.seconds, args.clients)
                for name in ("tag", "deep", "post"):
                    results[name] = load(app_port, urls[name], args.seconds, args.clients)
            if "search" in only:
                results.update(search_load(app_port, args.seconds, args.clients))
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    if "publish" in only:
        results.update(publish_bench(env, args.redis_url))

    print(f"\n{'page':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  path")
    for name, r in results.items():
        print(
            f"{name:<14} {r.get('rps', '-'):>8} {r.get('p50_ms', '-'):>8} "
            f"{r.get('p99_ms', '-'):>8}  {r['path'][:60]}  ({r['requests']} requests)"
        )
    if "bare" in results:
        bare, tag, deep = results["bare"]["rps"], results["tag"], results["deep"]
        print(f"\ntag page rps / bare rps: {tag['rps'] / bare:.2f} (target >= 0.60)")
        print(f"deep p50 / first p50: {deep['p50_ms'] / tag['p50_ms']:.2f} (target <= 1.2)")
    if "search (all)" in results:
        s = results["search (all)"]
        print(f"search: p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms (targets 30 and 150)")
    if "publish" in results:
        p, f = results["publish"], results["fan-out"]
        print(
            f"publish: p50 {p['p50_ms']} ms (target 25) to a tag with {p['followers']:,} "
            f"followers; fan-out job p50 {f['p50_ms']} ms"
        )
    for r in results.values():
        r.pop("_timings", None)
    out_dir = ROOT / "bench-results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out_dir / f"{stamp}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
