"""Fixtures borrowed from the apps' own test folders."""

from __future__ import annotations

from tests.reports.conftest import reports_root  # noqa: F401
from tests.scoring.conftest import world  # noqa: F401
