"""Shared fixtures: a user per role, the demo quarter, browser and Celery worker plumbing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from hypothesis import settings as hypothesis_settings

from branches import roles
from tests import factories

# CI explores the same hypothesis examples every run (a failure there is reproducible, never luck);
# locally each run explores new ones.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _flush_past_the_audit_trigger() -> None:
    """Teardown of transactional tests truncates every table; the audit table refuses TRUNCATE
    (audit/migrations/0003). The test database's owner lets this one statement through."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from audit.db import audit_truncate_allowed

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with audit_truncate_allowed(self.connection):
            original(self, sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush


_flush_past_the_audit_trigger()

SCREENSHOT_DIR = Path(__file__).resolve().parent / "e2e" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def make_user(role: str | None, **kwargs):
    user = factories.UserFactory(**kwargs)
    if role:
        group, _ = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    return user


@pytest.fixture
def dept_user(db):
    return make_user(roles.DEPT, username="dept", name="党建部干事")


@pytest.fixture
def inspector_user(db):
    return make_user(roles.INSPECTOR, username="inspector", name="检查组成员")


@pytest.fixture
def secretary_user(db):
    user = make_user(roles.SECRETARY, username="secretary", name="支部书记")
    branch = factories.BranchFactory(secretary=user)
    user.branch = branch
    user.save()
    return user


@pytest.fixture
def leader_user(db):
    return make_user(roles.LEADER, username="leader", name="党委领导")


@pytest.fixture
def admin_user(db):
    return make_user(roles.ADMIN, username="sysadmin", name="系统管理员", is_staff=True, is_superuser=True)


@pytest.fixture
def demo(db):
    """The full demo data set (seed_demo), returned as a small namespace."""
    from django.core.management import call_command

    from branches.models import User
    from scoring.models import Quarter

    call_command("seed_demo", verbosity=0)
    users = {u.username: u for u in User.objects.all()}
    return type("Demo", (), {"users": users, "quarter": Quarter.objects.get(code="2019Q1")})


def login(client, user):
    client.force_login(user)
    return client


# --- browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM} (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


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


# --- Celery ---------------------------------------------------------------------------------------


@pytest.fixture
def celery_worker_redis(settings):
    """A real Celery worker (threads, in this process) consuming from Redis.

    Runs only where CELERY_TEST_BROKER_URL is set (CI sets it); elsewhere the test is skipped and
    its eager twin covers the logic. Tests using it need django_db(transaction=True) so the worker's
    connection sees the rows the test wrote.
    """
    broker = os.environ.get("CELERY_TEST_BROKER_URL")
    if not broker:
        pytest.skip("CELERY_TEST_BROKER_URL not set: no Redis-backed worker in this run")
    from celery.contrib.testing.worker import start_worker

    from baiyin_eval.celery import app

    old = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager", "result_backend")}
    app.conf.update(broker_url=broker, task_always_eager=False, result_backend=broker)
    _forget_producer_pool(app)
    app.connection_for_write().ensure_connection(max_retries=3)
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.update(old)
        _forget_producer_pool(app)


def _forget_producer_pool(app) -> None:
    """Drop pooled producer connections: an eager task earlier in the session leaves the pool bound to
    memory://, and .delay() would then publish into it instead of Redis (and back again after)."""
    from kombu import pools

    # kombu keeps the pools in a global registry: reset it rather than closing a pool that the
    # registry would hand out again ("Acquire on closed pool").
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
