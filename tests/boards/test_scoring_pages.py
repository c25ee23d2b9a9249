"""boards fills its parts of scoring's quarter pages through scoring.pages (scoring never imports
boards): the setup page's red/blue adjustment table, the quarter page's follow-ups of publication."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boards.models import Board
from boards.selectors import DEFAULT_ADJUSTMENTS
from boards.services import adjustment_table_update, quarter_publish
from branches.models import Category
from scoring import pages
from tests import factories

pytestmark = pytest.mark.django_db


def test_boards_registers_a_part_of_each_quarter_page():
    assert pages._parts[pages.QUARTER]
    assert pages._parts[pages.QUARTER_SETUP]


def test_the_setup_page_shows_the_adjustment_table_as_the_dept_last_set_it(client, dept_user):
    quarter = factories.QuarterFactory(code="2031Q2")
    adjustment_table_update(points={("1", Board.RED): Decimal("3.5")}, user=dept_user)
    client.force_login(dept_user)
    response = client.get(f"/scoring/q/{quarter.code}/setup/")
    assert response.status_code == 200
    assert response.context["adjustments"][0] == (
        Category.I.label,
        Decimal("3.5"),
        DEFAULT_ADJUSTMENTS[("1", Board.BLUE)],
    )
    assert [row[0] for row in response.context["adjustments"]] == [label for _value, label in Category.choices]
    assert 'id="setup-adjustments"' in response.content.decode()


def test_the_quarter_page_lists_the_follow_ups_once_published(client, board_with_people, dept_user):
    quarter, _branches = board_with_people
    client.force_login(dept_user)
    assert client.get(f"/scoring/q/{quarter.code}/").context["follow_ups"] == []
    quarter_publish(quarter=quarter, user=dept_user)
    labels = [job.label for job in client.get(f"/scoring/q/{quarter.code}/").context["follow_ups"]]
    assert "通知各党组织书记" in labels
