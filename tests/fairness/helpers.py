"""Helpers for the severity report's tests."""

from __future__ import annotations

from fairness.models import SeverityRun
from fairness.services import severity_run, severity_run_start


def severity_computed(quarter, user) -> SeverityRun:
    """What 党建部's button and the worker do, here in the test's process: start a run, compute it."""
    return severity_run(run_id=severity_run_start(quarter=quarter, user=user).pk)
