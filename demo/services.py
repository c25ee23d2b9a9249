"""The demo data set, seeded step by step (each step idempotent)."""

from __future__ import annotations

from django.db import transaction

from branches.services import roles_sync_permissions
from demo.calibration import seed_calibration
from demo.history import seed_history
from demo.members import seed_member_points
from demo.organisation import seed_organisation, seed_users
from demo.quarter import seed_quarter
from scoring.models import Quarter


@transaction.atomic
def demo_seed() -> Quarter:
    """Seed the whole demo: the organisation and its accounts, the 2019Q1 quarter being scored, the
    published 2018Q3/2018Q4 (trends, star ratings) and a member points ledger. Returns 2019Q1."""
    roles_sync_permissions()
    branches = seed_organisation()
    users = seed_users(branches)
    quarter = seed_quarter(branches, users)
    seed_history(branches, users)
    seed_member_points(branches, users)
    return quarter


@transaction.atomic
def demo_calibration_seed() -> int:
    """Mark the calibration branches of 2019Q1 (opt-in). Returns the number of sheets added."""
    return seed_calibration()
