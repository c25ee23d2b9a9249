"""The cross rule (交叉互查) and the automatic, balanced assignment of branches to groups."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from branches import roles
from branches.models import Branch, Category
from scoring.assignment import assign_branches
from scoring.models import InspectionGroup, Quarter, ScoreChange, ScoreSheet
from scoring.services import AssignmentImpossible, assignment_auto, assignment_move, group_save
from tests import factories
from tests.helpers import make_user

# --- the pure rule --------------------------------------------------------------------------------


def test_branches_are_spread_evenly_when_nothing_forbids():
    result = assign_branches(range(32), {"一": set(), "二": set(), "三": set()})
    assert result.ok
    assert sorted(Counter(result.placed.values()).values()) == [10, 11, 11]


def test_no_group_gets_a_branch_it_may_not_inspect():
    forbidden = {"一": {0, 1, 2}, "二": {3, 4}, "三": {5}}
    result = assign_branches(range(12), forbidden)
    assert result.ok
    assert all(b not in forbidden[g] for b, g in result.placed.items())
    assert sorted(Counter(result.placed.values()).values()) == [4, 4, 4]


def test_branches_already_placed_are_moved_along_to_keep_the_balance():
    # Branches 0-2 can only go to 一; greedy placement would give 一 three branches first and leave
    # 二 and 三 short. The chain of moves keeps every group at two.
    forbidden = {"一": set(), "二": {0, 1}, "三": {0, 1}}
    result = assign_branches([2, 3, 4, 5, 0, 1], forbidden)
    assert result.ok
    assert all(b not in forbidden[g] for b, g in result.placed.items())
    assert sorted(Counter(result.placed.values()).values()) == [2, 2, 2]


def test_existing_loads_count_towards_the_balance():
    result = assign_branches(range(6), {"一": set(), "二": set(), "三": set()}, loads={"一": 4})
    assert Counter(result.placed.values()) == {"二": 3, "三": 3}


def test_a_branch_every_group_is_forbidden_is_reported():
    result = assign_branches(range(5), {"一": {3}, "二": {3}})
    assert not result.ok
    assert result.unplaceable == [3]


@settings(max_examples=150, deadline=None)
@given(
    n_branches=st.integers(0, 40),
    forbidden=st.lists(st.sets(st.integers(0, 39), max_size=20), min_size=1, max_size=5),
)
def test_the_rule_always_holds_and_the_loads_are_as_even_as_it_allows(n_branches, forbidden):
    groups = dict(enumerate(forbidden))
    result = assign_branches(range(n_branches), groups)
    placeable = [b for b in range(n_branches) if any(b not in f for f in forbidden)]
    assert sorted(result.placed) == placeable
    assert all(b not in groups[g] for b, g in result.placed.items())
    load = Counter(result.placed.values())
    for heavy in groups:
        for light in groups:
            if load[heavy] >= load[light] + 2:
                # ... only because nothing the heavier group holds may go to the lighter one
                assert all(b in groups[light] for b, g in result.placed.items() if g == heavy)


# --- the services -------------------------------------------------------------------------------------


@pytest.fixture
def quarter(db):
    return factories.QuarterFactory(code="2019Q1")


def inspector(username, branch):
    return make_user(roles.INSPECTOR, username=username, name=username, branch=branch)


@pytest.fixture
def organisation(quarter):
    """Six branches; group 一's member sits in branch 0, group 二's in branch 1."""
    branches = [factories.BranchFactory(name=f"支部{n}", category=Category.I) for n in range(6)]
    one = group_save(quarter=quarter, name="第一检查组", leader=inspector("a", branches[0]), members=[])
    two = group_save(quarter=quarter, name="第二检查组", leader=inspector("b", branches[1]), members=[])
    return branches, one, two


def test_automatic_assignment_is_balanced_and_keeps_the_cross_rule(organisation, quarter, dept_user):
    branches, one, two = organisation
    outcome = assignment_auto(quarter=quarter, actor=dept_user)
    assert outcome.counts == {one: 3, two: 3}
    assert outcome.notes == []  # one category, two groups sharing it
    sheets = {s.branch_id: s.group_id for s in ScoreSheet.objects.filter(quarter=quarter)}
    assert len(sheets) == 6
    assert sheets[branches[0].pk] == two.pk  # group 一's member belongs to branch 0
    assert sheets[branches[1].pk] == one.pk
    assert ScoreChange.objects.filter(field=ScoreChange.Field.ASSIGN).count() == 6


def test_a_member_of_a_sub_branch_keeps_the_group_away_from_its_general_branch(quarter, dept_user):
    general = factories.BranchFactory(name="某县党总支", kind=Branch.Kind.GENERAL)
    sub = factories.BranchFactory(name="某供电所党支部", parent=general, is_active=False)
    other = factories.BranchFactory(name="另一党支部")
    one = group_save(quarter=quarter, name="第一检查组", leader=inspector("a", sub), members=[])
    two = group_save(quarter=quarter, name="第二检查组", leader=inspector("b", other), members=[])
    assignment_auto(quarter=quarter, actor=dept_user)
    assert ScoreSheet.objects.get(branch=general).group == two
    assert ScoreSheet.objects.get(branch=other).group == one
    assert not ScoreSheet.objects.filter(branch=sub).exists()  # not evaluated on its own


def test_automatic_assignment_explains_an_impossible_case_and_changes_nothing(organisation, quarter, dept_user):
    branches, _one, two = organisation
    group_save(quarter=quarter, group=two, name="第二检查组", leader=two.leader, members=[inspector("c", branches[0])])
    with pytest.raises(AssignmentImpossible) as error:
        assignment_auto(quarter=quarter, actor=dept_user)
    message = error.value.messages[0]
    assert "无法自动分配" in message and "支部0" in message
    assert "第一检查组有其党员a" in message and "第二检查组有其党员c" in message
    assert not ScoreSheet.objects.exists()


def test_automatic_assignment_without_groups_says_so(quarter, dept_user):
    factories.BranchFactory()
    with pytest.raises(AssignmentImpossible, match="还没有检查组"):
        assignment_auto(quarter=quarter, actor=dept_user)


def test_automatic_assignment_leaves_existing_assignments_alone(organisation, quarter, dept_user):
    branches, one, two = organisation
    assignment_move(quarter=quarter, branch=branches[2], group=one, actor=dept_user)
    assignment_move(quarter=quarter, branch=branches[3], group=one, actor=dept_user)
    outcome = assignment_auto(quarter=quarter, actor=dept_user)
    assert outcome.counts == {one: 1, two: 3}
    assert ScoreSheet.objects.get(branch=branches[2]).group == one
    assert assignment_auto(quarter=quarter, actor=dept_user).counts == {}


def test_moving_by_hand_enforces_the_cross_rule(organisation, quarter, dept_user):
    branches, one, two = organisation
    with pytest.raises(ValidationError, match="交叉互查规则"):
        assignment_move(quarter=quarter, branch=branches[0], group=one, actor=dept_user)
    assert not ScoreSheet.objects.exists()
    sheet = assignment_move(quarter=quarter, branch=branches[2], group=one, actor=dept_user)
    moved = assignment_move(quarter=quarter, branch=branches[2], group=two, actor=dept_user)
    assert moved.pk == sheet.pk and moved.group == two
    history = list(ScoreChange.objects.filter(sheet=sheet).order_by("id").values_list("old", "new"))
    assert history == [("", "第一检查组"), ("第一检查组", "第二检查组")]


def test_a_submitted_sheet_is_not_moved(organisation, quarter, dept_user):
    branches, one, two = organisation
    sheet = assignment_move(quarter=quarter, branch=branches[2], group=one, actor=dept_user)
    ScoreSheet.objects.filter(pk=sheet.pk).update(status=ScoreSheet.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="先退回"):
        assignment_move(quarter=quarter, branch=branches[2], group=two, actor=dept_user)
    assert ScoreSheet.objects.get(pk=sheet.pk).group == one


def test_a_new_member_may_not_break_the_rule_for_assigned_branches(organisation, quarter, dept_user):
    branches, one, _two = organisation
    assignment_move(quarter=quarter, branch=branches[2], group=one, actor=dept_user)
    with pytest.raises(ValidationError) as error:
        group_save(
            quarter=quarter, group=one, name="第一检查组", leader=one.leader, members=[inspector("d", branches[2])]
        )
    assert "交叉互查规则" in str(error.value.message_dict["members"])
    assert list(one.members.values_list("username", flat=True)) == ["a"]


def test_a_person_sits_in_one_group_per_quarter(organisation, quarter):
    _branches, one, two = organisation
    with pytest.raises(ValidationError) as error:
        group_save(quarter=quarter, group=two, name="第二检查组", leader=two.leader, members=[one.leader])
    assert "已在本季度的第一检查组中" in str(error.value.message_dict["members"])


def test_group_names_are_unique_per_quarter(organisation, quarter):
    with pytest.raises(ValidationError, match="已有名为"):
        group_save(quarter=quarter, name="第一检查组", leader=None, members=[])


@pytest.mark.parametrize("status", [Quarter.Status.CLOSED, Quarter.Status.PUBLISHED])
def test_assignments_are_frozen_once_the_quarter_is_closed(organisation, quarter, dept_user, status):
    branches, one, _two = organisation
    Quarter.objects.filter(pk=quarter.pk).update(status=status)
    quarter.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再调整"):
        assignment_auto(quarter=quarter, actor=dept_user)
    with pytest.raises(ValidationError, match="不能再调整"):
        assignment_move(quarter=quarter, branch=branches[2], group=one, actor=dept_user)
    with pytest.raises(ValidationError, match="不能再调整"):
        group_save(quarter=quarter, name="第三检查组", leader=None, members=[])
    assert not ScoreSheet.objects.exists()
    assert InspectionGroup.objects.count() == 2


# --- the pages ----------------------------------------------------------------------------------------


def test_the_dept_assigns_automatically_from_the_groups_page(client, organisation, quarter, dept_user):
    client.force_login(dept_user)
    response = client.post(f"/scoring/q/{quarter.code}/assign/auto/", follow=True)
    assert "已自动分配：第一检查组 3 个（Ⅰ类），第二检查组 3 个（Ⅰ类）。" in response.content.decode()
    assert ScoreSheet.objects.count() == 6


def test_the_groups_page_explains_an_impossible_assignment(client, organisation, quarter, dept_user):
    branches, _one, two = organisation
    group_save(quarter=quarter, group=two, name="第二检查组", leader=two.leader, members=[inspector("c", branches[0])])
    client.force_login(dept_user)
    response = client.post(f"/scoring/q/{quarter.code}/assign/auto/", follow=True)
    assert "无法自动分配" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_a_move_against_the_rule_is_refused_on_the_page(client, organisation, quarter, dept_user):
    branches, one, _two = organisation
    client.force_login(dept_user)
    response = client.post(
        f"/scoring/q/{quarter.code}/assign/", {"branch": branches[0].pk, "group": one.pk}, follow=True
    )
    assert "按交叉互查规则，第一检查组不能检查“支部0”：组员a属于该党组织。" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_the_dept_creates_and_edits_a_group(client, quarter, dept_user):
    member = inspector("m1", factories.BranchFactory())
    client.force_login(dept_user)
    response = client.post(f"/scoring/q/{quarter.code}/groups/new/", {"name": "第四检查组", "leader": member.pk})
    assert response.status_code == 302
    group = InspectionGroup.objects.get(name="第四检查组")
    assert list(group.members.all()) == [member]  # the leader is a member
    other = inspector("m2", factories.BranchFactory())
    client.post(f"/scoring/groups/{group.pk}/edit/", {"name": "第四组", "leader": member.pk, "members": [other.pk]})
    group.refresh_from_db()
    assert group.name == "第四组"
    assert set(group.members.all()) == {member, other}


def test_a_group_form_error_is_shown_next_to_the_field(client, organisation, quarter, dept_user):
    client.force_login(dept_user)
    response = client.post(f"/scoring/q/{quarter.code}/groups/new/", {"name": "第一检查组"})
    assert response.status_code == 200
    assert "本季度已有名为“第一检查组”的检查组。" in response.content.decode()


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.LEADER, roles.SECRETARY, roles.ADMIN])
def test_only_the_dept_manages_groups_and_assignments(client, organisation, quarter, role):
    branches, one, _two = organisation
    client.force_login(make_user(role, username="intruder"))
    code = quarter.code
    assert client.get(f"/scoring/q/{code}/groups/").status_code == 403
    assert client.post(f"/scoring/q/{code}/groups/new/", {"name": "X"}).status_code == 403
    assert client.post(f"/scoring/groups/{one.pk}/edit/", {"name": "X"}).status_code == 403
    assert client.post(f"/scoring/groups/{one.pk}/delete/").status_code == 403
    assert client.post(f"/scoring/q/{code}/assign/auto/").status_code == 403
    assert client.post(f"/scoring/q/{code}/assign/", {"branch": branches[2].pk, "group": one.pk}).status_code == 403
    assert not ScoreSheet.objects.exists()
    assert InspectionGroup.objects.get(pk=one.pk).name == "第一检查组"


def test_writes_need_post(client, quarter, dept_user):
    client.force_login(dept_user)
    assert client.get(f"/scoring/q/{quarter.code}/assign/auto/").status_code == 405
