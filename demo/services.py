"""The demo data set, seeded step by step (each step idempotent)."""

from __future__ import annotations

from django.db import transaction

from branches.services import roles_sync_permissions
from demo.calibration import seed_calibration
from demo.history import seed_history
from demo.members import seed_member_points
from demo.organisation import seed_organisation, seed_users
from demo.province import seed_province_demo
from demo.quarter import seed_quarter
from scoring.models import Quarter


@transaction.atomic
def demo_seed(*, province: bool = True) -> Quarter:
    """Seed the whole demo: Baiyin's organisation and its accounts, its 2019Q1 quarter being
    scored, the published 2018Q3/2018Q4 (trends, star ratings) and a member points ledger; then,
    with `province` (the default, what `make run` seeds), the province above Baiyin and the second
    city (demo.province). Baiyin's data is the same either way. Returns Baiyin's 2019Q1."""
    roles_sync_permissions()
    branches = seed_organisation()
    users = seed_users(branches)
    quarter = seed_quarter(branches, users)
    seed_history(branches, users)
    seed_member_points(branches, users)
    if province:
        seed_province_demo()
    return quarter


@transaction.atomic
def demo_calibration_seed() -> int:
    """Mark the calibration branches of 2019Q1 (opt-in). Returns the number of sheets added."""
    return seed_calibration()
