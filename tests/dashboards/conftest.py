"""Fixtures for the dashboards' tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboards keep what they count over published quarters in the cache: each test starts
    without it, so the queries it pins are those of a first visit."""
    cache.clear()
    yield
    cache.clear()
