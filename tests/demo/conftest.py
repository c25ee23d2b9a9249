"""The demo as `make run` seeds it (seed_demo without --company-only): the province above Baiyin
and the second city."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from branches.models import Unit, User
from demo.organisation import demo_company
from scoring.models import Quarter


@pytest.fixture
def province_demo(db):
    call_command("seed_demo", verbosity=0)
    baiyin = demo_company()
    users = {u.username: u for u in User.objects.all()}
    return type(
        "ProvinceDemo",
        (),
        {
            "users": users,
            "quarter": Quarter.objects.get(unit=baiyin, code="2019Q1"),
            "units": {u.name: u for u in Unit.objects.filter(depth__lte=2)},
        },
    )
