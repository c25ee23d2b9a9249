from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from branches.models import Category
from scoring.models import Indicator, Quarter
from scoring.selectors import scheme_for_category
from scoring.services import SchemeFrozen, indicator_delete, indicator_save, quarter_create, quarter_transition

pytestmark = pytest.mark.django_db
S = Quarter.Status


def test_a_new_quarter_gets_the_default_scheme_with_decimal_maxima_adding_up_to_100():
    quarter = quarter_create(code="2019Q1")
    for category in Category.values:
        indicators = scheme_for_category(quarter, category)
        assert [i.code for i in indicators[:5]] == ["S1", "S2", "S3", "S4", "S5"]  # five standardizations first
        assert all(isinstance(i.max_score, Decimal) for i in indicators)
        assert sum(i.max_score for i in indicators) == Decimal("100")
    assert quarter.status == S.PREPARING


def test_a_new_quarter_copies_the_previous_quarters_scheme():
    q1 = quarter_create(code="2019Q1")
    changed = q1.indicators.get(code="S1")
    changed.name = "组织建设（修订）"
    changed.max_score = Decimal("11.5")
    indicator_save(indicator=changed)
    q2 = quarter_create(code="2019Q2")
    copied = q2.indicators.get(code="S1")
    assert (copied.name, copied.max_score) == ("组织建设（修订）", Decimal("11.5"))
    assert copied.pk != changed.pk
    assert q2.indicators.count() == q1.indicators.count()


@pytest.mark.parametrize("code", ["2019Q5", "19Q1", "2019-1", "", "2019q1"])
def test_a_malformed_code_is_refused(code):
    with pytest.raises(ValidationError, match="格式不正确"):
        quarter_create(code=code)
    assert not Quarter.objects.exists()


def test_a_duplicate_code_is_refused():
    quarter_create(code="2019Q1")
    with pytest.raises(ValidationError, match="已存在"):
        quarter_create(code="2019Q1")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([S.SCORING], True),
        ([S.SCORING, S.CLOSED], True),
        ([S.SCORING, S.CLOSED, S.SCORING], True),
        ([S.SCORING, S.PUBLISHED], True),
        ([S.SCORING, S.CLOSED, S.PUBLISHED], True),
        ([S.CLOSED], False),
        ([S.PUBLISHED], False),
        ([S.SCORING, S.PREPARING], False),
        ([S.SCORING, S.PUBLISHED, S.SCORING], False),
        ([S.SCORING, S.PUBLISHED, S.CLOSED], False),
    ],
)
def test_quarter_transitions(path, allowed):
    quarter = quarter_create(code="2019Q1")
    *before, last = path
    for status in before:
        quarter = quarter_transition(quarter=quarter, to=status)
    if allowed:
        quarter = quarter_transition(quarter=quarter, to=last)
        assert quarter.status == last
    else:
        with pytest.raises(ValidationError, match="不能从"):
            quarter_transition(quarter=quarter, to=last)
        quarter.refresh_from_db()
        assert quarter.status == (before[-1] if before else S.PREPARING)


def test_transitions_record_their_time():
    quarter = quarter_transition(quarter=quarter_create(code="2019Q1"), to=S.SCORING)
    assert quarter.opened_at is not None
    quarter = quarter_transition(quarter=quarter, to=S.CLOSED)
    assert quarter.closed_at is not None


def test_the_scheme_is_frozen_once_scoring_opens():
    quarter = quarter_transition(quarter=quarter_create(code="2019Q1"), to=S.SCORING)
    indicator = quarter.indicators.get(code="S1")
    indicator.max_score = Decimal("20")
    with pytest.raises(SchemeFrozen):
        indicator_save(indicator=indicator)
    with pytest.raises(SchemeFrozen):
        indicator_save(indicator=Indicator(quarter=quarter, code="X1", name="新增", max_score=Decimal("5")))
    with pytest.raises(SchemeFrozen):
        indicator_delete(indicator=indicator)
    assert quarter.indicators.get(code="S1").max_score == Decimal("12.0")
    assert not quarter.indicators.filter(code="X1").exists()


def test_the_scheme_can_change_while_preparing():
    quarter = quarter_create(code="2019Q1")
    indicator_save(
        indicator=Indicator(quarter=quarter, category="3", code="C9", name="新增指标", max_score=Decimal("2.5"))
    )
    assert quarter.indicators.get(code="C9").max_score == Decimal("2.5")


def test_a_maximum_must_be_positive():
    quarter = quarter_create(code="2019Q1")
    with pytest.raises(ValidationError):
        indicator_save(indicator=Indicator(quarter=quarter, code="Z1", name="零分", max_score=Decimal("0")))


def test_the_admin_refuses_to_edit_a_frozen_scheme(client, admin_user):
    quarter = quarter_transition(quarter=quarter_create(code="2019Q1"), to=S.SCORING)
    indicator = quarter.indicators.get(code="S1")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/scoring/indicator/{indicator.pk}/change/",
        {"quarter": quarter.pk, "category": "", "code": "S1", "name": "改名", "max_score": "30", "position": 0},
    )
    assert response.status_code == 403
    indicator.refresh_from_db()
    assert indicator.name != "改名"


class TestCreateQuarterCommand:
    def test_it_creates_a_quarter_in_preparation(self, capsys):
        call_command("create_quarter", "2019Q2")
        quarter = Quarter.objects.get(code="2019Q2")
        assert quarter.status == S.PREPARING
        assert quarter.indicators.count() == 19
        assert "已创建季度 2019Q2" in capsys.readouterr().out

    def test_open_moves_it_straight_to_scoring(self):
        call_command("create_quarter", "2019Q2", "--open")
        assert Quarter.objects.get(code="2019Q2").status == S.SCORING

    def test_a_bad_code_is_a_clear_error(self):
        with pytest.raises(CommandError, match="格式不正确"):
            call_command("create_quarter", "2019Q9")
        assert not Quarter.objects.exists()

    def test_a_duplicate_is_a_clear_error_and_changes_nothing(self):
        call_command("create_quarter", "2019Q2")
        with pytest.raises(CommandError, match="已存在"):
            call_command("create_quarter", "2019Q2", "--open")
        assert Quarter.objects.get(code="2019Q2").status == S.PREPARING
