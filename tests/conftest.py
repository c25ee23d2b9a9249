"""Shared fixtures: a user per role, the demo quarter, browser and Celery worker plumbing, and the
small worlds more than one folder of tests builds on (plain helpers are in tests/helpers.py)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import settings as hypothesis_settings

from branches import roles
from branches.models import Category
from scoring.models import Problem, Quarter, ScoreSheet
from scoring.selectors import scheme_for_category
from tests import factories
from tests.accounts.helpers import configure_ldap
from tests.accounts.slapd import TREE, Directory, free_port, tools_missing
from tests.boards.helpers import score_quarter
from tests.helpers import forget_producer_pool, make_user

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

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


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

    call_command("seed_demo", "--company-only", verbosity=0)
    users = {u.username: u for u in User.objects.all()}
    return type("Demo", (), {"users": users, "quarter": Quarter.objects.get(code="2019Q1")})


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
    forget_producer_pool(app)
    app.connection_for_write().ensure_connection(max_retries=3)
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.update(old)
        forget_producer_pool(app)


# --- fixtures shared across folders ------------------------------------------------------------------


@pytest.fixture
def reports_root(settings, tmp_path):
    settings.REPORTS_ROOT = str(tmp_path / "reports")
    return tmp_path / "reports"


@pytest.fixture
def world(db):
    quarter = factories.QuarterFactory(code="2019Q1", status=Quarter.Status.SCORING)
    home_a = factories.BranchFactory(name="甲党支部", category=Category.III)
    home_b = factories.BranchFactory(name="乙党支部", category=Category.III)
    target = factories.BranchFactory(name="丙党支部", category=Category.I)
    other_target = factories.BranchFactory(name="丁党支部", category=Category.II)
    alice = make_user(roles.INSPECTOR, username="alice", name="王磊", branch=home_a)
    bob = make_user(roles.INSPECTOR, username="bob", name="刘芳", branch=home_b)
    group_a = factories.InspectionGroupFactory(quarter=quarter, name="第一检查组", leader=alice)
    group_a.members.add(alice)
    group_b = factories.InspectionGroupFactory(quarter=quarter, name="第二检查组", leader=bob)
    group_b.members.add(bob)
    sheet = ScoreSheet.objects.create(quarter=quarter, branch=target, group=group_a, version=1)
    other_sheet = ScoreSheet.objects.create(quarter=quarter, branch=other_target, group=group_b, version=1)
    return SimpleNamespace(
        quarter=quarter,
        alice=alice,
        bob=bob,
        group_a=group_a,
        group_b=group_b,
        sheet=sheet,
        other_sheet=other_sheet,
        target=target,
        home_a=home_a,
        home_b=home_b,
        indicators=scheme_for_category(quarter, target.category),
    )


@pytest.fixture
def scoring_quarter(db):
    return factories.QuarterFactory(code="2031Q1", status=Quarter.Status.SCORING)


@pytest.fixture
def small_board(scoring_quarter):
    """Three categories: Ⅰ has a clear first and last, Ⅱ a tie at the bottom, Ⅲ a single branch."""
    branches = score_quarter(scoring_quarter, {"1": ["0.9", "0.8", "0.7"], "2": ["0.95", "0.6", "0.6"], "3": ["0.5"]})
    return scoring_quarter, branches


@pytest.fixture
def board_with_people(small_board):
    """small_board with a secretary for every branch and a problem on each blue-board branch, so
    every follow-up has something to create: notices, interviews with their checklist items."""
    quarter, branches = small_board
    make_user("党委领导", username="shuji")  # the default interviewer
    for name, branch in branches.items():
        branch.secretary = make_user("支部书记", username=f"sec-{name}", email=f"{name}@example.com")
        branch.save()
    for name in ("支部1-003", "支部2-002", "支部2-003"):
        sheet = ScoreSheet.objects.get(quarter=quarter, branch=branches[name])
        indicator = sheet.scores.first().indicator
        Problem.objects.create(sheet=sheet, indicator=indicator, description=f"{name} 三会一课落实不到位")
    return quarter, branches


# --- a real directory (LDAP): a slapd per test (tests/accounts/slapd.py), the portal configured for it
# exactly as the AUTH_LDAP_* environment would configure it (settings/auth.py's own builder) ------------


@pytest.fixture
def directory_tools():
    """Skips where slapd, ldap-utils or python-ldap are missing; fails instead in CI (CI_REQUIRE_LDAP)."""
    reason = tools_missing()
    if reason and os.environ.get("CI_REQUIRE_LDAP"):
        pytest.fail(f"CI_REQUIRE_LDAP is set but {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture
def directory(tmp_path, directory_tools):
    server = Directory(root=tmp_path / "slapd", port=free_port())
    server.start()
    try:
        server.load(TREE)
        yield server
    finally:
        server.stop()


@pytest.fixture
def ldap_on(settings, directory):
    configure_ldap(settings, directory.environ())
    return directory
