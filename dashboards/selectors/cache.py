"""What is computed from published quarters once, kept in the cache.

A published quarter is a record: nothing done later changes it (DOMAIN.md). So the numbers the
dashboards count over a whole quarter (category means, the overview's distribution and losses, the
star levels) are computed once per publication and kept in Django's cache — shared by every web
process when REDIS_URL/CACHE_URL configure Redis, per process otherwise. The key names each
quarter with its publication time, so a quarter published again is counted again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from scoring.models import Quarter

T = TypeVar("T")

KEPT_SECONDS = 7 * 24 * 3600  # a week: long enough to matter, short enough not to pile up


def published_once(name: str, quarters: list[Quarter], compute: Callable[[], T]) -> T:
    """compute(), kept under `name` and the quarters' publication; not kept when one of them is
    not published (its numbers may still change)."""
    if not quarters or any(q.status != Quarter.Status.PUBLISHED or q.published_at is None for q in quarters):
        return compute()
    published = ",".join(f"{q.pk}@{q.published_at.timestamp():.6f}" for q in quarters if q.published_at)
    key = f"dashboards:{name}:{published}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEPT_SECONDS)
    return found
