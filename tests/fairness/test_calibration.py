"""Calibration branches (校准党组织): 党建部 marks a branch, every group gets a sheet for it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from boards.selectors import board_compute
from branches import roles
from branches.models import Category
from scoring.models import CalibrationBranch, Quarter, ScoreChange, ScoreSheet
from scoring.services import calibration_mark, calibration_unmark
from tests import factories
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, dept_user):
    quarter = factories.QuarterFactory(code="2019Q1", status=Quarter.Status.SCORING)
    home = [factories.BranchFactory(name=f"组员支部{n}", category=Category.III) for n in range(3)]
    groups = []
    for n, branch in enumerate(home):
        member = make_user(roles.INSPECTOR, username=f"insp{n}", name=f"组员{n}", branch=branch)
        group = factories.InspectionGroupFactory(quarter=quarter, name=f"第{n + 1}组", leader=member)
        group.members.add(member)
        groups.append(group)
    target = factories.BranchFactory(name="校准支部", category=Category.I)
    ScoreSheet.objects.create(quarter=quarter, branch=target, group=groups[0], version=1)
    return type("World", (), {"quarter": quarter, "groups": groups, "target": target, "home": home, "dept": dept_user})


def test_a_calibration_branch_is_scored_by_every_group(world):
    calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    sheets = ScoreSheet.objects.filter(quarter=world.quarter, branch=world.target)
    assert sorted(s.group.name for s in sheets) == ["第1组", "第2组", "第3组"]
    assert CalibrationBranch.objects.filter(quarter=world.quarter, branch=world.target).count() == 1
    assert ScoreChange.objects.filter(sheet__branch=world.target, field="assign").count() == 2


def test_marking_twice_adds_nothing_twice_but_covers_a_group_created_since(world):
    calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    assert ScoreSheet.objects.filter(branch=world.target).count() == 3
    factories.InspectionGroupFactory(quarter=world.quarter, name="第4组")
    calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    assert ScoreSheet.objects.filter(branch=world.target).count() == 4
    assert CalibrationBranch.objects.count() == 1


def test_the_cross_rule_still_holds_and_nothing_is_written(world):
    with pytest.raises(ValidationError, match="交叉互查"):
        calibration_mark(quarter=world.quarter, branch=world.home[1], actor=world.dept)
    assert not CalibrationBranch.objects.exists()
    assert not ScoreSheet.objects.filter(branch=world.home[1]).exists()


def test_a_published_quarter_takes_no_calibration(world):
    Quarter.objects.filter(pk=world.quarter.pk).update(status=Quarter.Status.PUBLISHED)
    with pytest.raises(ValidationError):
        calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)


def test_the_board_ranks_a_calibration_branch_on_the_mean_of_the_groups_scores(world):
    calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    for sheet, fraction in zip(
        ScoreSheet.objects.filter(branch=world.target).order_by("pk"), ("0.9", "0.8", "1.0"), strict=True
    ):
        factories.fill_sheet(sheet, Decimal(fraction))
    # Only submitted sheets count on a board (tests/boards/test_what_counts.py).
    ScoreSheet.objects.filter(branch=world.target).update(status=ScoreSheet.Status.SUBMITTED)
    result = next(r for c in board_compute(world.quarter) for r in c.ranking if r.branch_id == world.target.pk)
    assert result.indicator_total == Decimal("90.00")  # (90 + 80 + 100) / 3


def test_unmarking_removes_the_added_empty_sheets_and_refuses_once_scored(world):
    marked = calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    calibration_unmark(calibration=marked, actor=world.dept)
    assert list(ScoreSheet.objects.filter(branch=world.target).values_list("group__name", flat=True)) == ["第1组"]
    marked = calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    factories.fill_sheet(ScoreSheet.objects.filter(branch=world.target).order_by("pk").last())
    with pytest.raises(ValidationError, match="不能取消"):
        calibration_unmark(calibration=marked, actor=world.dept)
    assert ScoreSheet.objects.filter(branch=world.target).count() == 3


# --- pages ----------------------------------------------------------------------------------------


def test_the_dept_marks_a_calibration_branch_from_the_severity_page(client, world):
    client.force_login(world.dept)
    response = client.post(reverse("fairness:calibration_add", args=["2019Q1"]), {"branch": world.target.pk})
    assert response.status_code == 302
    assert ScoreSheet.objects.filter(branch=world.target).count() == 3
    page = client.get(reverse("fairness:severity", args=["2019Q1"])).content.decode()
    assert "校准支部" in page and "第1组、第2组、第3组" in page


def test_a_refused_branch_shows_the_reason_next_to_the_field(client, world):
    client.force_login(world.dept)
    response = client.post(reverse("fairness:calibration_add", args=["2019Q1"]), {"branch": world.home[0].pk})
    assert response.status_code == 400
    assert "按交叉互查规则" in response.content.decode()
    response = client.post(reverse("fairness:calibration_add", args=["2019Q1"]), {"branch": "abc"})
    assert response.status_code == 400
    assert "请选择列表中的党组织" in response.content.decode()
    assert not CalibrationBranch.objects.exists()


def test_leadership_reads_the_report_but_may_not_mark(client, world, leader_user):
    client.force_login(leader_user)
    assert client.get(reverse("fairness:severity", args=["2019Q1"])).status_code == 200
    response = client.post(reverse("fairness:calibration_add", args=["2019Q1"]), {"branch": world.target.pk})
    assert response.status_code == 403
    assert not CalibrationBranch.objects.exists()


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.SECRETARY, None])
def test_others_do_not_find_the_report(client, world, role):
    client.force_login(make_user(role, username="someone"))
    assert client.get(reverse("fairness:severity", args=["2019Q1"])).status_code == 404
    assert (
        client.post(reverse("fairness:calibration_add", args=["2019Q1"]), {"branch": world.target.pk}).status_code
        == 404
    )
    assert not CalibrationBranch.objects.exists()


def test_unmark_through_the_page(client, world):
    marked = calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    client.force_login(world.dept)
    response = client.post(reverse("fairness:calibration_remove", args=["2019Q1", marked.pk]))
    assert response.status_code == 302
    assert not CalibrationBranch.objects.exists()
    assert client.post(reverse("fairness:calibration_remove", args=["2019Q1", marked.pk])).status_code == 404


def test_a_calibration_branch_cannot_be_moved_to_one_group(world):
    from scoring.services import assignment_move

    calibration_mark(quarter=world.quarter, branch=world.target, actor=world.dept)
    with pytest.raises(ValidationError, match="校准党组织"):
        assignment_move(quarter=world.quarter, branch=world.target, group=world.groups[1], actor=world.dept)
    assert ScoreSheet.objects.filter(branch=world.target).count() == 3


def test_a_double_submit_marks_once(client, world):
    client.force_login(world.dept)
    url = reverse("fairness:calibration_add", args=["2019Q1"])
    assert client.post(url, {"branch": world.target.pk}).status_code == 302
    assert client.post(url, {"branch": world.target.pk}).status_code == 400
    assert CalibrationBranch.objects.count() == 1
    assert ScoreSheet.objects.filter(branch=world.target).count() == 3
