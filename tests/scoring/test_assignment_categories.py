"""Automatic assignment keeps each group to one category where the numbers allow (as 2019Q1 was
run), explains every mix it had to make, and a branch can be moved back to 未分配."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from branches import roles
from branches.models import Category
from scoring.assignment import assign_by_category
from scoring.models import CalibrationBranch, InspectionGroup, Problem, Quarter, Score, ScoreSheet
from scoring.selectors import scheme_for_category
from scoring.services import assignment_auto, assignment_move, assignment_remove, group_save
from tests import factories
from tests.helpers import make_user


def baiyin(sizes=(10, 11, 11)):
    """(id, category) pairs: categories "1", "2", "3" of the given sizes."""
    out, n = [], 0
    for category, size in zip("123", sizes, strict=False):
        out += [(n + k, category) for k in range(size)]
        n += size
    return out


def categories_of(result, branches):
    category = dict(branches)
    per_group: dict = {}
    for b, g in result.placed.items():
        per_group.setdefault(g, Counter())[category[b]] += 1
    return per_group


# --- the pure rule --------------------------------------------------------------------------------


def test_three_groups_and_three_categories_get_one_category_each():
    branches = baiyin()
    result = assign_by_category(branches, {"一": set(), "二": set(), "三": set()})
    assert result.ok and result.mixes == []
    assert result.home == {"一": "1", "二": "2", "三": "3"}  # the natural order when nothing else decides
    assert categories_of(result, branches) == {"一": {"1": 10}, "二": {"2": 11}, "三": {"3": 11}}


def test_the_cross_rule_decides_which_group_takes_which_category():
    # As in the demo: 第三检查组 has members from a Ⅰ and a Ⅱ branch, the others from Ⅲ branches.
    branches = baiyin()
    forbidden = {"一": {21}, "二": {22}, "三": {0, 10}}
    result = assign_by_category(branches, forbidden)
    assert result.mixes == []
    assert result.home["三"] == "3"
    assert all(b not in forbidden[g] for b, g in result.placed.items())


def test_more_groups_than_categories_share_a_category_and_stay_balanced():
    branches = baiyin()
    result = assign_by_category(branches, {g: set() for g in range(6)})
    assert result.mixes == []
    per_group = categories_of(result, branches)
    assert all(len(c) == 1 for c in per_group.values())
    assert sorted(sum(c.values()) for c in per_group.values()) == [5, 5, 5, 5, 6, 6]


def test_two_groups_for_three_categories_must_mix_and_say_so():
    branches = baiyin()
    result = assign_by_category(branches, {"一": set(), "二": set()})
    assert result.ok
    # the two larger categories get a group each; the smaller one is shared, evenly
    assert sorted(result.home.values()) == ["2", "3"]
    assert Counter(result.placed.values()) == {"一": 16, "二": 16}
    assert len(result.mixes) == 10
    assert {m.reason for m in result.mixes} == {"no_group"}
    assert {dict(branches)[m.branch] for m in result.mixes} == {"1"}


def test_a_cross_rule_conflict_sends_the_branch_elsewhere_and_says_so():
    branches = baiyin((3, 3, 3))  # Ⅰ: 0-2, Ⅱ: 3-5, Ⅲ: 6-8
    # 一 and 二 each have members in a Ⅰ and a Ⅱ branch, 三 in a Ⅲ branch: whatever the choice, one
    # group holds a category with a branch of its own members.
    forbidden = {"一": {0, 3}, "二": {1, 4}, "三": {6}}
    result = assign_by_category(branches, forbidden)
    assert result.ok
    assert all(b not in forbidden[g] for b, g in result.placed.items())
    assert len(result.mixes) == 1
    mix = result.mixes[0]
    assert mix.reason == "cross_rule"
    assert result.home[mix.group] != dict(branches)[mix.branch]
    # purity over balance: the group short of its branch is not given another category's instead
    assert sorted(Counter(result.placed.values()).values()) == [2, 3, 4]


def test_a_group_keeps_the_category_it_already_holds():
    branches = baiyin((3, 3, 3))
    result = assign_by_category(branches, {"一": set(), "二": set(), "三": set()}, loads={"三": Counter({"1": 1})})
    assert result.home["三"] == "1"
    assert result.mixes == []


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 12), min_size=1, max_size=3),
    forbidden=st.lists(st.sets(st.integers(0, 35), max_size=6), min_size=1, max_size=6),
)
def test_the_cross_rule_always_holds_and_every_mix_is_reported(sizes, forbidden):
    branches = baiyin(sizes)
    groups = dict(enumerate(forbidden))
    result = assign_by_category(branches, groups)
    placeable = [b for b, _c in branches if any(b not in f for f in forbidden)]
    assert sorted(result.placed) == placeable
    assert all(b not in groups[g] for b, g in result.placed.items())
    category = dict(branches)
    mixed = {m.branch for m in result.mixes}
    for b, g in result.placed.items():
        # a branch outside a group of its own category is always reported, never silently mixed
        assert (result.home.get(g) == category[b]) == (b not in mixed)
    if len(groups) >= len({c for _b, c in branches}) and not any(forbidden):
        assert result.mixes == []


# --- the services -------------------------------------------------------------------------------------


def inspector(username, branch):
    return make_user(roles.INSPECTOR, username=username, name=username, branch=branch)


@pytest.fixture
def quarter(db):
    return factories.QuarterFactory(code="2019Q2")


@pytest.fixture
def branches(quarter):
    """Three per category, plus the branches the inspectors sit in (inactive: not evaluated)."""
    return {
        c: [factories.BranchFactory(name=f"{c.label}支部{n}", category=c) for n in range(3)]
        for c in (Category.I, Category.II, Category.III)
    }


def home_branch(name):
    return factories.BranchFactory(name=name, is_active=False)


def test_with_a_group_per_category_each_group_inspects_one(quarter, branches, dept_user):
    groups = [
        group_save(quarter=quarter, name=name, leader=inspector(f"u{n}", home_branch(f"家{n}")), members=[])
        for n, name in enumerate(["第一检查组", "第二检查组", "第三检查组"])
    ]
    outcome = assignment_auto(quarter=quarter, actor=dept_user)
    assert outcome.notes == []
    for group, category in zip(groups, (Category.I, Category.II, Category.III), strict=True):
        assert set(ScoreSheet.objects.filter(group=group).values_list("branch__category", flat=True)) == {category}
        assert outcome.home_label(group) == category.label


def test_two_groups_for_three_categories_explain_the_mix(quarter, branches, dept_user):
    one = group_save(quarter=quarter, name="第一检查组", leader=inspector("a", home_branch("家a")), members=[])
    two = group_save(quarter=quarter, name="第二检查组", leader=inspector("b", home_branch("家b")), members=[])
    outcome = assignment_auto(quarter=quarter, actor=dept_user)
    assert sum(outcome.counts.values()) == 9
    assert sorted(outcome.counts.values()) == [4, 5]
    assert outcome.notes == [
        "检查组只有 2 个，少于类别数（3 个），Ⅲ类没有专门的检查组，它的 3 个党组织分给了第一检查组 2 个、第二检查组 1 个。"
    ]
    # equal sizes: the groups take the categories in order, the last one is shared
    assert (outcome.home[one], outcome.home[two]) == (Category.I, Category.II)


def test_a_cross_rule_conflict_is_explained_by_name(quarter, branches, dept_user):
    i, ii, iii = branches[Category.I], branches[Category.II], branches[Category.III]
    one = group_save(quarter=quarter, name="第一检查组", leader=inspector("a", i[0]), members=[inspector("a2", ii[0])])
    two = group_save(quarter=quarter, name="第二检查组", leader=inspector("b", i[1]), members=[inspector("b2", ii[1])])
    three = group_save(quarter=quarter, name="第三检查组", leader=inspector("c", iii[0]), members=[])
    outcome = assignment_auto(quarter=quarter, actor=dept_user)
    assert outcome.home[three] in (Category.I, Category.II)
    assert len(outcome.notes) == 1
    # one of 第一/第二检查组 takes Ⅲ, the other the category 第三检查组 left, holding its own members' branch
    left = Category.II if outcome.home[three] == Category.I else Category.I
    (stuck,) = [g for g in (one, two) if outcome.home[g] == left]
    assert {outcome.home[one], outcome.home[two]} == {Category.III, left}
    blocked = next(b for b in (i if left == Category.I else ii) if b.pk in {m.branch_id for m in stuck.members.all()})
    member = stuck.members.get(branch=blocked)
    assert outcome.notes[0] == (
        f"按交叉互查规则，检查{left.label}的{stuck.name}不能检查“{blocked.name}”"
        f"（{stuck.name}组员{member}属于该党组织），改由{ScoreSheet.objects.get(branch=blocked).group.name}检查。"
    )
    for sheet in ScoreSheet.objects.filter(quarter=quarter).select_related("group"):
        assert sheet.branch_id not in {m.branch_id for m in sheet.group.members.all()}


def test_the_groups_page_shows_the_mix_and_its_reason(client, quarter, branches, dept_user):
    group_save(quarter=quarter, name="第一检查组", leader=inspector("a", home_branch("家a")), members=[])
    group_save(quarter=quarter, name="第二检查组", leader=inspector("b", home_branch("家b")), members=[])
    client.force_login(dept_user)
    page = client.post(f"/scoring/q/{quarter.code}/assign/auto/", follow=True).content.decode()
    assert "未能做到每组只检查一个类别：检查组只有 2 个，少于类别数（3 个）" in page
    assert "检查多个类别" in page


def test_the_groups_page_says_when_every_group_keeps_to_one_category(client, quarter, branches, dept_user):
    for n in range(3):
        group_save(quarter=quarter, name=f"第{n}组", leader=inspector(f"u{n}", home_branch(f"家{n}")), members=[])
    client.force_login(dept_user)
    page = client.post(f"/scoring/q/{quarter.code}/assign/auto/", follow=True).content.decode()
    assert "已自动分配：第0组 3 个（Ⅰ类），第1组 3 个（Ⅱ类），第2组 3 个（Ⅲ类）。" in page
    assert "每个检查组只检查一个类别" in page
    assert "检查多个类别" not in page


def test_the_demo_groups_carried_into_a_new_quarter_get_one_category_each(demo, dept_user):
    """2019Q1's three groups, in a fresh quarter: the automatic assignment gives back 2019Q1's split."""
    q2 = factories.QuarterFactory(code="2019Q2")
    for old in InspectionGroup.objects.filter(quarter=demo.quarter).order_by("pk"):
        group_save(quarter=q2, name=old.name, leader=old.leader, members=list(old.members.all()))
    outcome = assignment_auto(quarter=q2, actor=dept_user)
    assert outcome.notes == []
    before = dict(ScoreSheet.objects.filter(quarter=demo.quarter).values_list("branch_id", "group__name"))
    after = dict(ScoreSheet.objects.filter(quarter=q2).values_list("branch_id", "group__name"))
    assert after == before


# --- back to 未分配 --------------------------------------------------------------------------------------


@pytest.fixture
def assigned(quarter, branches, dept_user):
    one = group_save(quarter=quarter, name="第一检查组", leader=inspector("a", home_branch("家a")), members=[])
    two = group_save(quarter=quarter, name="第二检查组", leader=inspector("b", home_branch("家b")), members=[])
    branch = branches[Category.I][0]
    assignment_move(quarter=quarter, branch=branch, group=one, actor=dept_user)
    return branch, one, two


def test_a_branch_goes_back_to_unassigned_from_the_page(client, quarter, assigned, dept_user):
    branch, _one, _two = assigned
    client.force_login(dept_user)
    page = client.get(f"/scoring/q/{quarter.code}/groups/").content.decode()
    assert "（改回未分配）" in page
    response = client.post(f"/scoring/q/{quarter.code}/assign/", {"branch": branch.pk, "group": ""}, follow=True)
    assert f"“{branch.name}”已改回未分配。" in response.content.decode()
    assert not ScoreSheet.objects.filter(quarter=quarter, branch=branch).exists()
    # and it is offered again among the unassigned
    assert f'id="branch-{branch.pk}"' in response.content.decode()


def test_a_branch_with_scores_entered_is_not_unassigned(client, quarter, assigned, dept_user):
    branch, one, _two = assigned
    sheet = ScoreSheet.objects.get(quarter=quarter, branch=branch)
    indicator = scheme_for_category(quarter, branch.category)[0]
    Score.objects.create(sheet=sheet, indicator=indicator, value=3)
    Problem.objects.create(sheet=sheet, indicator=indicator, description="台账不全")
    client.force_login(dept_user)
    response = client.post(f"/scoring/q/{quarter.code}/assign/", {"branch": branch.pk, "group": ""}, follow=True)
    assert "第一检查组已为“Ⅰ类支部0”录入 1 项评分、1 条问题，撤销分配会丢失这些内容。" in response.content.decode()
    assert ScoreSheet.objects.get(pk=sheet.pk).group == one


def test_a_submitted_sheet_is_not_unassigned(quarter, assigned, dept_user):
    branch, one, _two = assigned
    ScoreSheet.objects.filter(branch=branch).update(status=ScoreSheet.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="请先退回再撤销分配"):
        assignment_remove(quarter=quarter, branch=branch, actor=dept_user)
    assert ScoreSheet.objects.get(branch=branch).group == one


def test_a_calibration_branch_is_not_unassigned(quarter, assigned, dept_user):
    branch, _one, _two = assigned
    CalibrationBranch.objects.create(quarter=quarter, branch=branch)
    with pytest.raises(ValidationError, match="校准党组织"):
        assignment_remove(quarter=quarter, branch=branch, actor=dept_user)
    assert ScoreSheet.objects.filter(branch=branch).exists()


def test_unassigning_is_frozen_once_the_quarter_is_closed(quarter, assigned, dept_user):
    branch, _one, _two = assigned
    Quarter.objects.filter(pk=quarter.pk).update(status=Quarter.Status.CLOSED)
    quarter.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再调整"):
        assignment_remove(quarter=quarter, branch=branch, actor=dept_user)
    assert ScoreSheet.objects.filter(branch=branch).exists()


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.LEADER, roles.SECRETARY])
def test_only_the_dept_unassigns(client, quarter, assigned, role):
    branch, _one, _two = assigned
    client.force_login(make_user(role, username="intruder"))
    response = client.post(f"/scoring/q/{quarter.code}/assign/", {"branch": branch.pk, "group": ""})
    assert response.status_code == 403
    assert ScoreSheet.objects.filter(branch=branch).exists()
