"""The roll-up's lowest–highest column is printed to the tenth (issue 17): on SQLite MIN/MAX of a
decimal column come back as floats and the page printed "84.1000000000000–98.6000000000000".
Run with DATABASE_URL unset (the README's default `make test`) as well as on PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boards.models import Board
from branches import roles
from tests.helpers import make_user
from tests.rollup.helpers import BAIYIN, DINGXI, PROVINCE, Line, add_quarter, add_unit, publish_rows

pytestmark = pytest.mark.django_db


def test_lowest_and_highest_are_to_the_tenth(client):
    province = add_unit(PROVINCE, evaluating=False)
    for name, low, high in ((BAIYIN, "84.1", "98.6"), (DINGXI, "86.3", "91.2")):
        city = add_unit(name, province)
        publish_rows(
            add_quarter(city, "2031Q1"),
            [Line("营销部党支部", "1", high, 1, Board.RED), Line("运检部党支部", "1", low, 2, Board.BLUE)],
        )
    client.force_login(make_user(roles.DEPT, username="gs", unit=province))
    response = client.get(f"/rollup/{province.pk}/2031Q1/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "000000" not in body
    assert "84.1–98.6" in body
    first = next(d for d in response.context["rollup"].distributions if d.category == "1")
    assert (first.low, first.high) == (Decimal("84.1"), Decimal("98.6"))
    assert str(first.low) == "84.1"
