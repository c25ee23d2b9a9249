"""Plain helpers shared by the tests (fixtures live in the conftest modules)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import Group

from tests import factories

SCREENSHOT_DIR = Path(__file__).resolve().parent / "e2e" / "screenshots"


def make_user(role: str | None, **kwargs):
    user = factories.UserFactory(**kwargs)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


def login(client, user):
    client.force_login(user)
    return client


def is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def board_compute_queries() -> int:
    """Queries of boards.selectors.board_compute for one quarter or category, whatever its size: on
    PostgreSQL one row per branch (sums, points and exclusion joined), the scheme's required
    indicators and the adjustment table (3); on SQLite, the embedded default, the scores are summed in
    Python: the indicators, the scores, the points, the exclusions, the branches, the adjustment table (6)."""
    return 3 if is_postgres() else 6


def browser_login(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def forget_producer_pool(app=None) -> None:
    """Drop the Celery app's cached connection and producer pools.

    An eager task earlier in the session leaves the pool bound to memory://, and .delay() would then
    publish into it instead of Redis (and back again after); after the shared Redis worker fixture
    stops, the cached pools are closed, and the next task queued fails with "Acquire on closed pool"
    (Celery ≥ 5.4 acquires a producer even for eager tasks).
    """
    from kombu import pools

    if app is None:
        from baiyin_eval.celery import app

    # kombu keeps the pools in a global registry: reset it rather than closing a pool that the
    # registry would hand out again ("Acquire on closed pool").
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
