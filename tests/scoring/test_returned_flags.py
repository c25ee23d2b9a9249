"""A sheet 党建部 returned is flagged where inspectors look: their home and 我的检查任务, with the
reason and a link to the sheet; once submitted again the flag goes."""

from __future__ import annotations

from scoring.models import Quarter, ScoreSheet
from tests.scoring.helpers import full_values, sheet_post

REASON = "“三会一课”得分与问题记录不一致，请核实后重新提交"


def submit_and_return(client, world, dept_user):
    client.force_login(world.alice)
    client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/",
        sheet_post(world.sheet, world.indicators, values=full_values(world.indicators), action="submit"),
    )
    client.force_login(dept_user)
    client.post(f"/scoring/sheets/{world.sheet.pk}/return/", {"reason": REASON})
    world.sheet.refresh_from_db()
    assert world.sheet.return_reason == REASON and not world.sheet.is_submitted


def test_the_inspector_home_shows_the_returned_sheet_with_reason_and_link(client, world, dept_user):
    submit_and_return(client, world, dept_user)
    client.force_login(world.alice)
    html = client.get("/").content.decode()
    assert "被退回的评分表（1 个）" in html
    assert f"丙党支部（第一检查组 · 2019Q1）退回原因：{REASON}" in html
    assert f'href="/scoring/sheets/{world.sheet.pk}/">修改：丙党支部</a>' in html
    # the card comes before the group's own card
    assert html.index("被退回的评分表") < html.index("我的检查任务：第一检查组")


def test_my_tasks_list_the_returned_sheet_with_reason_and_link(client, world, dept_user):
    submit_and_return(client, world, dept_user)
    client.force_login(world.alice)
    html = client.get("/scoring/my/").content.decode()
    assert "党建部退回了 1 个评分表，请修改后重新提交" in html
    assert f'<a class="alert-link" href="/scoring/sheets/{world.sheet.pk}/">丙党支部</a>' in html
    assert "退回原因：" in html and "请核实后重新提交" in html


def test_only_the_group_of_the_sheet_is_flagged(client, world, dept_user):
    submit_and_return(client, world, dept_user)
    client.force_login(world.bob)  # 第二检查组
    assert "被退回的评分表" not in client.get("/").content.decode()
    assert "党建部退回了" not in client.get("/scoring/my/").content.decode()


def test_the_flag_goes_once_the_sheet_is_submitted_again(client, world, dept_user):
    submit_and_return(client, world, dept_user)
    client.force_login(world.alice)
    client.post(
        f"/scoring/sheets/{world.sheet.pk}/save/",
        sheet_post(world.sheet, world.indicators, values=full_values(world.indicators, "0.8"), action="submit"),
    )
    assert ScoreSheet.objects.get(pk=world.sheet.pk).is_submitted
    assert "被退回的评分表" not in client.get("/").content.decode()
    assert "党建部退回了" not in client.get("/scoring/my/").content.decode()


def test_no_flag_for_a_published_quarter(client, world, dept_user):
    submit_and_return(client, world, dept_user)
    Quarter.objects.filter(pk=world.quarter.pk).update(status=Quarter.Status.PUBLISHED)
    client.force_login(world.alice)
    assert "被退回的评分表" not in client.get("/").content.decode()
