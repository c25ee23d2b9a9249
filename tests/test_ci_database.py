"""CI must run the suite on PostgreSQL: fail loudly if it silently fell back to SQLite."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if not os.environ.get("CI_REQUIRE_POSTGRES"):
        pytest.skip("only checked where CI_REQUIRE_POSTGRES is set (.ci/run)")
    assert connection.vendor == "postgresql"
