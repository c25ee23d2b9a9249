"""The template scheme copied down (issue 17): a unit publishes a quarter's scheme as the template
for the units below; a unit's new quarter starts from its own previous quarter, else from the
nearest template above — by the command, the service and 党建部's new-quarter form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from branches import roles, units
from scoring.models import Indicator, InspectionGroup, Quarter
from scoring.services import quarter_create
from scoring.units import template_above, template_publish
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    city = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    county = units.unit_create(name="靖远县供电公司", parent=city, is_evaluating=True)
    standard = quarter_create(code="2019Q1", unit=province)
    Indicator.objects.create(quarter=standard, code="SG-1", name="省公司统一指标", max_score=Decimal("5"))
    InspectionGroup.objects.create(quarter=standard, name="省公司检查组")
    return type("Tree", (), {"province": province, "city": city, "county": county, "standard": standard})


def codes(quarter: Quarter) -> set[str]:
    return set(quarter.indicators.values_list("code", flat=True))


def test_without_a_template_a_units_first_quarter_has_the_default_scheme(tree):
    first = quarter_create(code="2019Q1", unit=tree.city)
    assert first.copied_from is None
    assert "SG-1" not in codes(first)


def test_a_published_template_is_copied_down_to_the_first_quarter_below(tree):
    template_publish(quarter=tree.standard)
    assert template_above(tree.city) == tree.standard
    first = quarter_create(code="2019Q1", unit=tree.city, copy_groups=True)
    assert first.copied_from == tree.standard
    assert codes(first) == codes(tree.standard)
    assert not first.groups.exists()  # never another unit's people


def test_the_nearest_template_above_wins_and_a_county_gets_the_province_one_through_a_city_without(tree):
    template_publish(quarter=tree.standard)
    assert template_above(tree.county) == tree.standard
    city_q = quarter_create(code="2019Q1", unit=tree.city)
    Indicator.objects.create(quarter=city_q, code="BY-1", name="白银特色指标", max_score=Decimal("2"))
    template_publish(quarter=city_q)
    assert template_above(tree.county) == city_q
    assert "BY-1" in codes(quarter_create(code="2019Q1", unit=tree.county))


def test_a_units_own_previous_quarter_comes_before_the_template(tree):
    own = quarter_create(code="2019Q1", unit=tree.city)
    template_publish(quarter=tree.standard)
    second = quarter_create(code="2019Q2", unit=tree.city)
    assert second.copied_from == own


def test_a_withdrawn_template_is_no_longer_copied(tree):
    template_publish(quarter=tree.standard)
    template_publish(quarter=tree.standard, is_template=False)
    assert template_above(tree.city) is None


def test_a_quarter_without_indicators_cannot_be_a_template(tree):
    tree.standard.indicators.all().delete()
    with pytest.raises(ValidationError, match="没有考核指标"):
        template_publish(quarter=tree.standard)


def test_the_command_starts_from_the_template(tree, capsys):
    template_publish(quarter=tree.standard)
    call_command("create_quarter", "2019Q1", "--unit", "国网白银供电公司")
    assert "复制自 2019Q1" in capsys.readouterr().out
    assert "SG-1" in codes(Quarter.objects.get(unit=tree.city, code="2019Q1"))


def test_the_city_dept_publishes_nothing_for_the_province_and_starts_from_its_template(client, tree):
    province_dept = make_user(roles.DEPT, username="gs", unit=tree.province)
    city_dept = make_user(roles.DEPT, username="by", unit=tree.city)

    client.force_login(city_dept)
    assert client.post("/scoring/q/2019Q1/template/").status_code == 404  # the city has no 2019Q1

    client.force_login(province_dept)
    response = client.post("/scoring/q/2019Q1/template/")
    assert response.status_code == 302
    tree.standard.refresh_from_db()
    assert tree.standard.is_template

    client.force_login(city_dept)
    page = client.get("/scoring/quarters/new/").content.decode()
    assert "国网甘肃省电力公司下发的模板" in page
    response = client.post(
        "/scoring/quarters/new/", {"code": "2019Q1", "copy_from": tree.standard.pk, "copy_groups": "on"}
    )
    assert response.status_code == 302
    created = Quarter.objects.get(unit=tree.city, code="2019Q1")
    assert created.copied_from == tree.standard and "SG-1" in codes(created)
    assert not created.groups.exists()
