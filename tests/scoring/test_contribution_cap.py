"""贡献度积分 with limits: a cap per branch and quarter set with the scheme (default 5, shown on
the form), a reason for every item, an entry past the cap refused next to the field; every item
added or removed is audited (old → new total)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from scoring.models import ContributionPoint, Quarter
from scoring.services import contribution_add, contribution_remove
from tests import factories

pytestmark = pytest.mark.django_db


def url(world):
    return f"/scoring/q/{world.quarter.code}/contributions/"


def test_a_new_quarter_caps_contribution_points_at_five_by_default(db):
    assert factories.QuarterFactory(code="2040Q1").contribution_cap == Decimal("5.00")


def test_the_form_shows_the_cap(client, world, dept_user):
    Quarter.objects.filter(pk=world.quarter.pk).update(contribution_cap=Decimal("3.00"))
    client.force_login(dept_user)
    html = client.get(url(world)).content.decode()
    assert "本季度每个党组织贡献度积分合计不超过 3.00 分" in html


def test_ninety_nine_points_are_refused_next_to_the_field(client, world, dept_user):
    client.force_login(dept_user)
    response = client.post(url(world), {"branch": world.target.pk, "points": "99", "reason": "获评全国先进基层党组织"})
    assert response.status_code == 400
    html = response.content.decode()
    message = "超过上限：本季度每个党组织的贡献度积分合计不能超过 5.00 分，“丙党支部”已有 0.00 分，最多还能加 5.00 分。"
    assert message in html
    assert html.index(message) > html.index('name="points"')
    assert not ContributionPoint.objects.exists()


def test_items_add_up_to_the_cap_and_no_further(world, dept_user):
    contribution_add(
        quarter=world.quarter, branch=world.target, points=Decimal("3"), reason="品牌故事", actor=dept_user
    )
    contribution_add(
        quarter=world.quarter, branch=world.target, points=Decimal("2"), reason="先进典型", actor=dept_user
    )
    with pytest.raises(ValidationError) as error:
        contribution_add(
            quarter=world.quarter, branch=world.target, points=Decimal("0.01"), reason="再加一点", actor=dept_user
        )
    assert "已有 5.00 分，最多还能加 0.00 分" in error.value.message_dict["points"][0]
    # The cap is per branch: another branch still has its five points.
    other = factories.BranchFactory(name="戊党支部")
    contribution_add(quarter=world.quarter, branch=other, points=Decimal("5"), reason="先进典型", actor=dept_user)


def test_a_removed_item_frees_room_under_the_cap(world, dept_user):
    item = contribution_add(
        quarter=world.quarter, branch=world.target, points=Decimal("5"), reason="品牌故事", actor=dept_user
    )
    contribution_remove(point=item, actor=dept_user)
    contribution_add(
        quarter=world.quarter, branch=world.target, points=Decimal("4"), reason="先进典型", actor=dept_user
    )


def test_every_item_needs_a_reason(client, world, dept_user):
    client.force_login(dept_user)
    response = client.post(url(world), {"branch": world.target.pk, "points": "1", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.index("请填写加分事由。") > html.index('name="reason"')
    with pytest.raises(ValidationError, match="请填写加分事由"):
        contribution_add(quarter=world.quarter, branch=world.target, points=Decimal("1"), reason="   ", actor=dept_user)
    assert not ContributionPoint.objects.exists()


def test_adding_and_removing_an_item_is_audited_with_the_old_and_new_total(client, world, dept_user):
    client.force_login(dept_user)
    client.post(url(world), {"branch": world.target.pk, "points": "1.5", "reason": "党建品牌故事刊发"})
    client.post(url(world), {"branch": world.target.pk, "points": "2", "reason": "先进典型获评"})
    added = list(AuditEvent.objects.filter(action="contribution_add").order_by("pk"))
    assert [e.detail["合计"] for e in added] == ["0.00 → 1.50", "1.50 → 3.50"]
    assert (added[0].actor, added[0].detail["党组织"], added[0].detail["事由"]) == (
        dept_user,
        "丙党支部",
        "党建品牌故事刊发",
    )

    item = ContributionPoint.objects.get(reason="党建品牌故事刊发")
    client.post(f"/scoring/contributions/{item.pk}/delete/")
    removed = AuditEvent.objects.get(action="contribution_remove")
    assert (removed.actor, removed.detail["合计"], removed.detail["积分"]) == (dept_user, "3.50 → 2.00", "1.50")


def test_the_cap_is_set_in_the_admin_with_the_scheme_and_frozen_with_it(rf, admin_user):
    preparing = factories.QuarterFactory(code="2040Q2")
    scoring = factories.QuarterFactory(code="2040Q3", status=Quarter.Status.SCORING)
    request = rf.get("/")
    request.user = admin_user
    quarter_admin = site._registry[Quarter]
    assert "contribution_cap" not in quarter_admin.get_readonly_fields(request, preparing)
    assert "contribution_cap" in quarter_admin.get_readonly_fields(request, scoring)
