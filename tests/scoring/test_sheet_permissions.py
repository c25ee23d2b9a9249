"""Every way of writing a sheet one may not write is refused by the server: 404 to outsiders,
403 to those who may read (or who are in the group but must not score it now)."""

from __future__ import annotations

import pytest

from branches import roles
from scoring.models import Quarter, Score, ScoreChange
from tests.helpers import make_user
from tests.scoring.helpers import full_values, sheet_post

pytestmark = pytest.mark.django_db


def save(client, sheet, indicators, **kwargs):
    return client.post(f"/scoring/sheets/{sheet.pk}/save/", sheet_post(sheet, indicators, values={"S1": "9"}, **kwargs))


def assert_nothing_written():
    assert not Score.objects.exists()
    assert not ScoreChange.objects.exists()


def test_a_member_of_the_group_may_write(client, world):
    client.force_login(world.alice)
    assert save(client, world.sheet, world.indicators).status_code == 302
    assert Score.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    assert client.get(f"/scoring/sheets/{world.sheet.pk}/")["Location"].startswith("/login/")
    assert save(client, world.sheet, world.indicators)["Location"].startswith("/login/")
    assert_nothing_written()


def test_an_inspector_of_another_group_gets_404(client, world):
    client.force_login(world.bob)
    assert client.get(f"/scoring/sheets/{world.sheet.pk}/").status_code == 404
    assert save(client, world.sheet, world.indicators).status_code == 404
    assert client.get(f"/scoring/groups/{world.group_a.pk}/").status_code == 404
    assert_nothing_written()


@pytest.mark.parametrize("role", [roles.SECRETARY, roles.ADMIN, None])
def test_outsiders_get_404(client, world, role):
    client.force_login(make_user(role, username="outsider"))
    assert client.get(f"/scoring/sheets/{world.sheet.pk}/").status_code == 404
    assert save(client, world.sheet, world.indicators).status_code == 404
    assert client.get(f"/scoring/groups/{world.group_a.pk}/").status_code == 404
    assert_nothing_written()


def test_a_group_member_without_the_inspector_role_gets_404(client, world):
    world.alice.groups.clear()
    client.force_login(world.alice)
    assert client.get(f"/scoring/sheets/{world.sheet.pk}/").status_code == 404
    assert save(client, world.sheet, world.indicators).status_code == 404
    assert_nothing_written()


@pytest.mark.parametrize("role", [roles.DEPT, roles.LEADER])
def test_read_only_roles_read_but_get_403_on_write(client, world, role):
    client.force_login(make_user(role, username="reader"))
    assert client.get(f"/scoring/sheets/{world.sheet.pk}/").status_code == 200
    assert client.get(f"/scoring/groups/{world.group_a.pk}/").status_code == 200
    assert save(client, world.sheet, world.indicators).status_code == 403
    assert_nothing_written()


def test_a_member_never_scores_their_own_branch(client, world):
    # The group was assigned the member's own branch before the cross rule could catch it.
    world.alice.branch = world.target
    world.alice.save()
    client.force_login(world.alice)
    assert client.get(f"/scoring/sheets/{world.sheet.pk}/").status_code == 403
    assert save(client, world.sheet, world.indicators).status_code == 403
    html = client.get(f"/scoring/groups/{world.group_a.pk}/").content.decode()
    assert "本人所在党组织，回避" in html
    assert_nothing_written()


def test_a_member_of_a_sub_branch_never_scores_its_general_branch(client, world):
    from tests import factories

    world.target.kind = "general"
    world.target.save()
    world.alice.branch = factories.BranchFactory(name="下设党支部", parent=world.target, is_active=False)
    world.alice.save()
    client.force_login(world.alice)
    assert save(client, world.sheet, world.indicators).status_code == 403
    assert_nothing_written()


@pytest.mark.parametrize("status", [Quarter.Status.PREPARING, Quarter.Status.CLOSED, Quarter.Status.PUBLISHED])
def test_scores_are_written_only_while_the_quarter_is_scoring(client, world, status):
    Quarter.objects.filter(pk=world.quarter.pk).update(status=status)
    client.force_login(world.alice)
    html = client.get(f"/scoring/sheets/{world.sheet.pk}/").content.decode()
    assert "评分表只能查看" in html and "保存草稿" not in html
    assert save(client, world.sheet, world.indicators).status_code == 403
    submit = sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit")
    assert client.post(f"/scoring/sheets/{world.sheet.pk}/save/", submit).status_code == 403
    assert_nothing_written()


@pytest.mark.parametrize("status", [Quarter.Status.CLOSED, Quarter.Status.PUBLISHED])
def test_a_sheet_is_not_returned_once_scoring_is_over(client, world, dept_user, status):
    world.sheet.status = "submitted"
    world.sheet.save()
    Quarter.objects.filter(pk=world.quarter.pk).update(status=status)
    client.force_login(dept_user)
    client.post(f"/scoring/sheets/{world.sheet.pk}/return/", {"reason": "请补充"})
    world.sheet.refresh_from_db()
    assert world.sheet.status == "submitted"


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.LEADER, roles.SECRETARY])
def test_only_the_dept_returns_a_sheet(client, world, role):
    world.sheet.status = "submitted"
    world.sheet.save()
    user = world.alice if role == roles.INSPECTOR else make_user(role, username="someone")
    client.force_login(user)
    assert client.post(f"/scoring/sheets/{world.sheet.pk}/return/", {"reason": "请补充"}).status_code == 403
    world.sheet.refresh_from_db()
    assert world.sheet.status == "submitted"


def test_an_unknown_sheet_is_404(client, world):
    client.force_login(world.alice)
    assert client.get("/scoring/sheets/999999/").status_code == 404
    assert client.post("/scoring/sheets/999999/save/", {}).status_code == 404


def test_saving_needs_post(client, world):
    client.force_login(world.alice)
    assert client.get(f"/scoring/sheets/{world.sheet.pk}/save/").status_code == 405


def test_an_inspector_sees_only_their_groups(client, world):
    client.force_login(world.alice)
    html = client.get("/scoring/my/").content.decode()
    assert "第一检查组" in html and "第二检查组" not in html
    html = client.get(f"/scoring/groups/{world.group_a.pk}/").content.decode()
    assert "丙党支部" in html and "丁党支部" not in html


def test_the_admin_shows_sheets_groups_problems_and_points_but_does_not_change_them(client, world, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/scoring/scoresheet/").status_code == 200
    assert client.get(f"/admin/scoring/scoresheet/{world.sheet.pk}/change/").status_code == 200  # a view page
    response = client.post(
        f"/admin/scoring/scoresheet/{world.sheet.pk}/change/",
        {
            "quarter": world.quarter.pk,
            "branch": world.sheet.branch_id,
            "group": world.group_b.pk,
            "status": "submitted",
        },
    )
    assert response.status_code == 403
    world.sheet.refresh_from_db()
    assert (world.sheet.group, world.sheet.status) == (world.group_a, "draft")
    assert client.post(f"/admin/scoring/inspectiongroup/{world.group_a.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/scoring/contributionpoint/add/").status_code == 403
