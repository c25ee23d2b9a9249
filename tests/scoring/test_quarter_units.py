"""Quarters belong to an evaluating unit (issue 17): a code is unique within the unit, a new quarter
copies its own unit's previous one, and create_quarter takes --unit where there are several."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from branches import units
from scoring.models import Quarter
from scoring.services import quarter_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def cities():
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    tianshui = units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    county = units.unit_create(name="靖远县供电公司", parent=baiyin)
    return province, baiyin, tianshui, county


def test_two_units_each_have_their_own_2019q1(cities):
    _, baiyin, tianshui, _ = cities
    first = quarter_create(code="2019Q1", unit=baiyin)
    second = quarter_create(code="2019Q1", unit=tianshui)
    assert first.pk != second.pk
    assert quarter_create(code="2019Q2", unit=tianshui).copied_from == second


def test_a_quarter_without_a_unit_is_the_only_evaluating_units():
    quarter = Quarter.objects.create(code="2019Q1", year=2019, number=1)
    assert quarter.unit == units.default_unit()


def test_create_quarter_takes_the_unit(cities, capsys):
    call_command("create_quarter", "2019Q1", "--unit", "国网天水供电公司")
    assert Quarter.objects.get(code="2019Q1").unit == cities[2]
    assert "考评单位 国网天水供电公司" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "有多个考评单位，请指定考评单位（--unit）"),
        (["--unit", "国网兰州供电公司"], "单位“国网兰州供电公司”不存在"),
        (["--unit", "靖远县供电公司"], "不是考评单位，其党组织由“国网白银供电公司”考评"),
    ],
)
def test_create_quarter_explains_a_missing_or_wrong_unit(cities, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_quarter", "2019Q1", *args)
    assert not Quarter.objects.exists()


def test_create_quarter_without_unit_works_as_before():
    call_command("create_quarter", "2019Q1")
    assert Quarter.objects.get(code="2019Q1").unit == units.default_unit()
