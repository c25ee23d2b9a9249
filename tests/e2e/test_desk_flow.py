"""Headless Chromium over the pages of issue 18's desk flow: the groups page after an automatic
assignment that had to mix (with its reason), a returned sheet flagged on the inspector's home and
task list, leadership's 待约谈, and the severity page's headline with the statistics folded."""

from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_world():
    from django.core.management import call_command

    call_command("seed_demo", "--company-only", verbosity=0)


def test_groups_page_explains_the_mix(page, live_server, demo_world):
    from branches.models import User
    from scoring.models import InspectionGroup
    from scoring.services import group_save, quarter_create

    q2 = quarter_create(code="2019Q2")
    for old in InspectionGroup.objects.filter(quarter__code="2019Q1").order_by("pk")[:2]:
        group_save(quarter=q2, name=old.name, leader=old.leader, members=list(old.members.all()))
    assert User.objects.filter(username="dangjian").exists()
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/q/2019Q2/groups/")
    page.get_by_role("button", name="自动分配未分配的党组织").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("未能做到每组只检查一个类别").is_visible()
    assert page.locator(".badge", has_text="检查多个类别").count() >= 1
    screenshot(page, "desk_flow_groups_mixed_dangjian")


def test_returned_sheet_and_to_hold_flags(page, live_server, demo_world):
    from branches.models import User
    from scoring.models import ScoreSheet
    from scoring.services import sheet_return

    sheet = ScoreSheet.objects.filter(quarter__code="2019Q1", group__name="第一检查组").order_by("pk").first()
    sheet_return(
        sheet=sheet, actor=User.objects.get(username="dangjian"), reason="组织生活得分与问题记录不一致，请核实"
    )
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="被退回的评分表（1 个）").is_visible()
    screenshot(page, "desk_flow_home_returned_jiancha1")
    page.goto(f"{live_server.url}/scoring/my/")
    assert page.get_by_text("党建部退回了 1 个评分表").is_visible()
    page.get_by_role("link", name=sheet.branch.name).first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("组织生活得分与问题记录不一致").first.is_visible()
    page.goto(f"{live_server.url}/scoring/my/")
    screenshot(page, "desk_flow_my_tasks_returned_jiancha1")


def test_severity_headline(page, live_server, demo_world):
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/2019Q1/severity/")
    page.get_by_role("button", name="开始计算宽严度分析").click()  # the report is computed in the worker
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("比较了什么：").is_visible()
    assert not page.get_by_text("置换检验：把各评分表").is_visible()  # folded
    screenshot(page, "desk_flow_severity_folded_dangjian")
    page.get_by_text("统计依据").click()
    assert page.locator(".fair-flag").first.is_visible()


def test_leadership_sees_the_scheduled_interview_first(page, live_server, demo_world, settings, tmp_path):
    import datetime

    from django.utils import timezone

    from branches.models import User
    from interviews.models import Interview
    from interviews.selectors import HOME_TO_HOLD
    from scoring.models import Quarter
    from tests.interviews.helpers import celery_pools_reset, publish

    settings.MEDIA_ROOT = str(tmp_path / "media")
    celery_pools_reset()
    publish(Quarter.objects.get(code="2019Q1"), User.objects.get(username="dangjian"))
    marketing = Interview.objects.filter(quarter__code="2019Q1", branch__name="营销部党支部").order_by("pk").first()
    marketing.scheduled_at = timezone.make_aware(datetime.datetime(2030, 4, 2, 9, 30))
    marketing.place = "公司党委会议室"
    marketing.save()
    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    lines = page.locator(".card-text", has_text="待约谈：")
    to_hold = Interview.objects.filter(held_at__isnull=True).count()  # the demo's history has more
    assert lines.count() == min(to_hold, HOME_TO_HOLD)
    if to_hold > HOME_TO_HOLD:
        assert page.get_by_role("link", name=f"全部待约谈（{to_hold} 个）").is_visible()
    assert lines.first.inner_text().startswith("待约谈：2019Q1 营销部党支部，2030-04-02 09:30")
    screenshot(page, "desk_flow_home_to_hold_lingdao")
