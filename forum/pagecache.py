"""A small in-process cache of whole pages for readers who are not signed in.

Entries are keyed by the caller with a version that changes whenever the page's content does
(a tag's `listing_version`, bumped in the same transaction as the change), so a page is never
served for an old version; the TTL only bounds memory held by versions nobody asks for.

Reading the version costs a database round trip, so each worker also remembers the versions
it read for VERSION_TTL seconds (micro-caching). Any commit in the process forgets them, so a
process always sees its own writes at once; another gunicorn worker sees them within
VERSION_TTL. Keyset pagination keeps "view more" exact whatever a page's age.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import Flask, current_app, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

V = TypeVar("V")
VERSION_TTL = 0.25  # seconds a worker trusts a version it read


class PageCache:
    def __init__(self, capacity: int = 512, ttl_seconds: float = 600) -> None:
        self.capacity = capacity
        self.ttl = ttl_seconds
        self._entries: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._versions: dict[Hashable, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def version(self, key: Hashable, load: Callable[[], V], ttl: float = VERSION_TTL) -> V:
        """`load()`'s answer, remembered for `ttl` seconds (cleared by forget_versions)."""
        now = time.monotonic()
        memo = self._versions.get(key)
        if memo is not None and now - memo[0] < ttl:
            return memo[1]  # type: ignore[return-value]
        value = load()
        if len(self._versions) > self.capacity * 4:
            self._versions.clear()
        self._versions[key] = (now, value)
        return value

    def forget_versions(self) -> None:
        self._versions.clear()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, body = entry
            if time.monotonic() - stored_at > self.ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: str) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        self.forget_versions()

    def __len__(self) -> int:
        return len(self._entries)


_caches: list[PageCache] = []


@event.listens_for(Session, "after_commit")
def _forget_versions_after_commit(session) -> None:
    """Infrastructure, not domain logic: whatever this process committed may have changed a
    page, so its remembered versions are re-read on the next request."""
    for cache in _caches:
        cache.forget_versions()


def init_app(app: Flask) -> None:
    cache = PageCache(capacity=int(app.config.get("PAGE_CACHE_SIZE", 512)))
    app.extensions["page_cache"] = cache
    _caches[:] = [c for c in _caches if c is not cache][-7:] + [cache]


def page_cache() -> PageCache | None:
    """The app's cache when this request may use it: signed-out readers with nothing pending
    in their session (a flash message must not be cached into everyone's page)."""
    if not current_app.config.get("PAGE_CACHE_SIZE", 512):
        return None
    if current_user.is_authenticated or session.get("_flashes"):
        return None
    return current_app.extensions["page_cache"]
