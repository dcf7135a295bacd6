"""Configuration: the only module that reads the environment.

Environment variables (all optional in development):
  SECRET_KEY     signs sessions and emailed links. Required outside debug and testing; in a
                 checkout, `make run` writes a random one to instance/secret_key, read from there.
  DATABASE_URL   SQLAlchemy URL; default is SQLite in instance/forum.sqlite3. postgres:// and
                 postgresql:// URLs use psycopg 3.
  REDIS_URL      Redis for rate limits and the job queue (optional).
  SITE_URL       this site's public address (e.g. https://cohort.example): every link in emails
                 and feeds uses it, and requests for other hosts are refused. Set it in production.
  TRUSTED_HOSTS  comma-separated host names to answer to, if more than SITE_URL's host.
  TRUSTED_PROXIES  how many reverse proxies are in front (default 0; 1 behind nginx).
  SMTP_URL       where email is sent (smtp:// or smtps://); unset: printed to the log.
  MAIL_FROM      the From header of every email.
  SERVER_TIMING  "1" adds a Server-Timing header with the app's time per request (benchmarks).
  COHORT_ENV     "production" (the default) or "development" (`make run` sets it), which allows
                 plain-HTTP cookies and prints email to the log instead of sending it.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

DEV_SECRET = "dev-only-not-a-secret"  # noqa: S105 - a placeholder create_app refuses in production


def database_url(raw: str) -> str:
    """Normalize a DATABASE_URL so PostgreSQL always goes through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _instance_secret(instance_path: str) -> str | None:
    path = Path(instance_path) / "secret_key"
    if path.is_file():
        return path.read_text().strip() or None
    return None


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _engine_options(url: str) -> dict[str, object]:
    options: dict[str, object] = {"pool_recycle": 3600}
    if url.startswith(("postgres://", "postgresql")):
        # JIT compilation pays off for long analytical queries, never for a web request: a
        # search the planner over-estimates spent 300 ms compiling to run in 15 ms.
        options["connect_args"] = {"options": "-c jit=off"}
    return options


def _trusted_hosts(env) -> list[str] | None:
    if env.get("TRUSTED_HOSTS"):
        return [h.strip() for h in env["TRUSTED_HOSTS"].split(",") if h.strip()]
    if env.get("SITE_URL"):
        return [urlsplit(env["SITE_URL"]).hostname or ""]
    return None


def load_config(instance_path: str) -> dict[str, object]:
    env = os.environ
    url = env.get("DATABASE_URL") or f"sqlite:///{instance_path}/forum.sqlite3"
    development = env.get("COHORT_ENV", "production").strip().lower() == "development"
    secure_cookies = not development
    return {
        "DEVELOPMENT": development,
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(url),
        # No pre-ping: it costs a round trip on every request. Connections are recycled hourly,
        # and one that died with the server is replaced after the request that finds it.
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(url),
        "REDIS_URL": env.get("REDIS_URL") or None,
        # Absolute links in emails sent outside a request (digests, background jobs).
        "SITE_URL": (env.get("SITE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "SITE_URL_SET": bool(env.get("SITE_URL")),
        # Host headers the app answers to (others get 400): TRUSTED_HOSTS, else SITE_URL's host.
        "TRUSTED_HOSTS": _trusted_hosts(env),
        # How many reverse proxies stand in front (their X-Forwarded-For/-Proto/-Host are
        # believed): 0 by default, 1 behind nginx. Per-address rate limits depend on it.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Only for benchmarks and load tests: RATELIMIT_ENABLED=0 switches limits off.
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1").strip().lower()
        not in {"0", "false", "no"},
        "RATELIMIT_KEY_PREFIX": "cohort",
        # Email: sent by SMTP when SMTP_URL is set (smtp://user:pass@host:587?starttls=1, or
        # smtps://...), otherwise printed to the server log. Every email goes through the outbox.
        "SMTP_URL": env.get("SMTP_URL") or None,
        "MAIL_FROM": env.get("MAIL_FROM", "Cohort <no-reply@cohort.invalid>"),
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "SERVER_TIMING": _flag("SERVER_TIMING"),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        # A long story must not expire mid-writing.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        # Secure cookies need HTTPS, which production has and `make run` does not.
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "POSTS_PER_PAGE": int(env.get("POSTS_PER_PAGE", "20")),
        "REPLIES_PER_PAGE": int(env.get("REPLIES_PER_PAGE", "100")),
        # Whole tag pages kept per worker for signed-out readers; 0 turns the cache off.
        "PAGE_CACHE_SIZE": int(env.get("PAGE_CACHE_SIZE", "512")),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Password for the demo accounts `seed-demo` creates; a random one is printed if unset.
        "DEMO_PASSWORD": env.get("DEMO_PASSWORD") or None,
    }
