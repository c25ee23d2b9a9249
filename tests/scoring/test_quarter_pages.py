"""党建部's quarter page (开始评分 / 截止评分), the home cards and the navigation."""

from __future__ import annotations

import pytest

from branches import roles
from scoring.models import Quarter
from tests import factories
from tests.helpers import make_user
from tests.scoring.helpers import full_values, sheet_post

pytestmark = pytest.mark.django_db


def test_the_dept_opens_and_closes_scoring(client, dept_user):
    quarter = factories.QuarterFactory(code="2019Q2")
    client.force_login(dept_user)
    html = client.get("/scoring/q/2019Q2/").content.decode()
    assert "开始评分" in html and "截止评分" not in html
    client.post("/scoring/q/2019Q2/transition/", {"to": "scoring"})
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.SCORING and quarter.opened_at
    client.post("/scoring/q/2019Q2/transition/", {"to": "closed"})
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.CLOSED
    assert "重新开始评分" in client.get("/scoring/q/2019Q2/").content.decode()


def test_the_quarter_page_shows_each_groups_progress(client, world, dept_user):
    client.force_login(world.alice)
    client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/",
        sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit"),
    )
    client.force_login(dept_user)
    html = client.get("/scoring/q/2019Q1/").content.decode()
    first = html[html.index("第一检查组") :]
    assert '<td class="num">1 / 1</td>' in first[:400] and '<td class="num">10 / 10</td>' in first[:400]
    second = html[html.index("第二检查组") :]
    assert '<td class="num">0 / 1</td>' in second[:400]


def test_publishing_is_not_done_here(client, dept_user):
    quarter = factories.QuarterFactory(code="2019Q2", status=Quarter.Status.SCORING)
    client.force_login(dept_user)
    assert client.post("/scoring/q/2019Q2/transition/", {"to": "published"}).status_code == 400
    quarter.refresh_from_db()
    assert quarter.status == Quarter.Status.SCORING


def test_an_illegal_move_is_explained(client, dept_user):
    factories.QuarterFactory(code="2019Q2")
    client.force_login(dept_user)
    response = client.post("/scoring/q/2019Q2/transition/", {"to": "closed"}, follow=True)
    assert "不能从“准备”变为“已截止”" in response.content.decode()
    assert Quarter.objects.get(code="2019Q2").status == Quarter.Status.PREPARING


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.LEADER, roles.SECRETARY, roles.ADMIN])
def test_only_the_dept_moves_a_quarter(client, role):
    factories.QuarterFactory(code="2019Q2")
    client.force_login(make_user(role, username="someone"))
    assert client.get("/scoring/q/2019Q2/").status_code == 403
    assert client.post("/scoring/q/2019Q2/transition/", {"to": "scoring"}).status_code == 403
    assert Quarter.objects.get(code="2019Q2").status == Quarter.Status.PREPARING


def test_an_unknown_quarter_is_404_for_the_dept(client, dept_user):
    client.force_login(dept_user)
    assert client.get("/scoring/q/2099Q1/groups/").status_code == 404


def test_the_inspector_home_card_shows_the_task_and_its_progress(client, world):
    client.force_login(world.alice)
    html = client.get("/").content.decode()
    assert "我的检查任务：第一检查组" in html
    assert "已提交 0 / 1 个党组织" in html and "已评分 0 / 10 项指标" in html
    client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/",
        sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit"),
    )
    html = client.get("/").content.decode()
    assert "已提交 1 / 1 个党组织" in html and "已评分 10 / 10 项指标" in html and "已全部提交" in html
    assert f'href="/scoring/groups/{world.group_a.pk}/"' in html


def test_the_dept_home_card_links_to_groups_contributions_and_quarter_actions(client, world, dept_user):
    client.force_login(dept_user)
    html = client.get("/").content.decode()
    assert "当前季度：2019Q1" in html
    for link in ("/scoring/q/2019Q1/", "/scoring/q/2019Q1/groups/", "/scoring/q/2019Q1/contributions/"):
        assert f'href="{link}"' in html
    assert "评分表已提交 0 / 2" in html
    assert "截止评分…" in html  # the next quarter action, a button on the quarter page


def test_the_navigation_follows_the_role(client, world, dept_user):
    client.force_login(world.alice)
    html = client.get("/").content.decode()
    assert 'href="/scoring/my/"' in html and 'href="/scoring/groups/"' not in html
    client.force_login(dept_user)
    html = client.get("/").content.decode()
    assert 'href="/scoring/groups/"' in html and 'href="/scoring/contributions/"' in html
    assert client.get("/scoring/groups/")["Location"] == "/scoring/q/2019Q1/groups/"


def test_the_demo_inspector_sees_the_first_group_with_its_nine_branches(client, demo):
    client.force_login(demo.users["jiancha1"])
    group = demo.users["jiancha1"].inspection_groups.get()
    html = client.get(f"/scoring/groups/{group.pk}/").content.decode()
    assert html.count("/scoring/sheets/") == 9
    assert "平川区供电公司党总支" in html and "财务部党支部" not in html
