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
    }
    if timings:
        out["p50_ms"] = round(statistics.median(timings), 2)
        out["p99_ms"] = round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgresql://root@127.0.0.1:5432/cohort_bench")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    if urlsplit(args.database_url).scheme not in ("postgresql", "postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL.")

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": "benchmark-only",
        "SERVER_TIMING": "1",
        "COHORT_ENV": "production",
    }
    ensure_data(env, args.posts)
    urls = pick_urls(env)

    app_port, bare_port = free_port(), free_port()
    servers = [
        start_gunicorn("forum:create_app()", app_port, env, ROOT),
        start_gunicorn("bare_app:app", bare_port, env, Path(__file__).parent),
    ]
    results = {}
    try:
        results["bare"] = load(bare_port, "/", args.seconds, args.clients)
        for name in ("tag", "deep", "post"):
            results[name] = load(app_port, urls[name], args.seconds, args.clients)
    finally:
        for server in servers:
            server.terminate()
            server.wait()

    print(f"\n{'page':<6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  path")
    for name, r in results.items():
        print(
            f"{name:<6} {r['rps']:>8} {r.get('p50_ms', '-'):>8} {r.get('p99_ms', '-'):>8}  "
            f"{r['path'][:70]}  ({r['requests']} requests, {r['errors']} errors)"
        )
    bare, tag, deep = results["bare"]["rps"], results["tag"], results["deep"]
    print(f"\ntag page rps / bare rps: {tag['rps'] / bare:.2f} (target >= 0.60)")
    print(f"deep p50 / first p50: {deep['p50_ms'] / tag['p50_ms']:.2f} (target <= 1.2)")
    out_dir = ROOT / "bench-results"
    out_dir.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out_dir / f"{stamp}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
