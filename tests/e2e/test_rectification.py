"""Headless Chromium: after 2019Q1 is published, the blue-board secretary `shuji` sees the
interview and checklist, fills in a measure, uploads evidence and reports the item done; 党建部
accepts it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from demo.organisation import DEMO_PASSWORD
from interviews.models import Evidence, Interview, ItemStatus
from tests.helpers import browser_login, screenshot
from tests.interviews.helpers import celery_pools_reset, publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def published(settings, tmp_path):
    from django.core.management import call_command

    from branches.models import User
    from scoring.models import Quarter

    settings.MEDIA_ROOT = str(tmp_path / "media")
    celery_pools_reset()  # publication queues eager tasks; see the helper for why
    call_command("seed_demo", "--company-only", verbosity=0)
    publish(Quarter.objects.get(code="2019Q1"), User.objects.get(username="dangjian"))
    return Interview.objects.get(branch__name="平川区供电公司党总支")


def test_the_blue_board_secretary_answers_an_item_and_uploads_evidence(page, live_server, published):
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    browser_login(page, live_server, "shuji", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="我的整改").is_visible()
    page.get_by_role("link", name="查看整改清单").click()
    page.wait_for_load_state("networkidle")
    assert "平川区供电公司党总支" in page.locator("h1").inner_text()
    rows = page.locator("table.interviews-items tbody tr")
    assert rows.count() == 4
    assert page.get_by_text("下设支部补选委员流程不规范").is_visible()
    screenshot(page, "rectification_checklist_shuji")

    first = published.items.order_by("position").first()
    page.locator(f'tr[data-item="{first.pk}"]').get_by_role("link", name="填报").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_measure", "重新履行下设支部委员补选程序，完善选举材料并报上级党组织审批")
    page.fill("#id_deadline", deadline)
    page.fill("#id_responsible", "赵永平")
    page.get_by_role("button", name="保存整改措施").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("整改措施已保存。").is_visible()

    page.set_input_files(
        "#evidence-form input[type=file]",
        files=[{"name": "补选会议记录.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("佐证材料“补选会议记录.pdf”已上传。").is_visible()
    assert page.locator("#evidence-list a", has_text="补选会议记录.pdf").is_visible()

    # A file that is not what its name says is refused, with the reason next to the field.
    page.set_input_files(
        "#evidence-form input[type=file]",
        files=[{"name": "照片.png", "mimeType": "image/png", "buffer": b"MZ not an image"}],
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("内容与扩展名 .png 不符").is_visible()
    screenshot(page, "rectification_item_shuji")

    page.fill("#id_progress", "已重新召开党员大会补选委员，材料已报批")
    page.check("#id_completed")
    page.get_by_role("button", name="报告进展").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已提交党建部验收").is_visible()
    assert page.locator(".interviews-status").first.inner_text() == "待验收"
    assert page.get_by_role("button", name="删除").count() == 0  # evidence frozen
    screenshot(page, "rectification_item_submitted_shuji")

    first.refresh_from_db()
    assert first.status == ItemStatus.COMPLETED
    assert first.responsible == "赵永平"
    assert first.deadline.isoformat() == deadline
    assert list(Evidence.objects.filter(item=first).values_list("original_name", flat=True)) == ["补选会议记录.pdf"]

    # 党建部 accepts the item from the checklist.
    page.context.clear_cookies()
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{published.get_absolute_url()}")
    page.locator(f'tr[data-item="{first.pk}"]').get_by_role("button", name="验收").click()
    page.wait_for_load_state("networkidle")
    # a confirmation step, with what is being accepted; nothing changed yet
    assert page.get_by_role("heading", name="确认验收通过这项整改？").is_visible()
    assert page.get_by_role("link", name="补选会议记录.pdf").is_visible()
    screenshot(page, "rectification_confirm_accept_dangjian")
    first.refresh_from_db()
    assert first.status == ItemStatus.COMPLETED
    page.get_by_role("button", name="确认验收").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已验收。").first.is_visible()
    screenshot(page, "rectification_checklist_dangjian")
    first.refresh_from_db()
    assert first.status == ItemStatus.ACCEPTED

    page.goto(f"{live_server.url}/interviews/overview/")
    assert page.get_by_role("heading", name="整改总览").is_visible()
    screenshot(page, "rectification_overview_dangjian")


def test_every_item_answered_and_accepted_closes_the_rectification(page, live_server, published):
    """The issue's "done when": shuji answers every item and reports it done; 党建部 accepts them all."""
    deadline = (timezone.localdate() + datetime.timedelta(days=45)).isoformat()
    items = list(published.items.order_by("position"))
    browser_login(page, live_server, "shuji", DEMO_PASSWORD)
    for n, item in enumerate(items, start=1):
        page.goto(f"{live_server.url}{item.get_absolute_url()}")
        page.fill("#id_measure", f"第{n}项整改措施")
        page.fill("#id_deadline", deadline)
        page.fill("#id_responsible", "赵永平")
        page.get_by_role("button", name="保存整改措施").click()
        page.wait_for_load_state("networkidle")
        page.fill("#id_progress", "已整改到位")
        page.check("#id_completed")
        page.fill("#id_no_evidence_reason", "现场整改，党建部约谈时已当场查看")
        page.get_by_role("button", name="报告进展").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("已提交党建部验收").is_visible()

    page.context.clear_cookies()
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{published.get_absolute_url()}")
    for item in items:
        page.locator(f'tr[data-item="{item.pk}"]').get_by_role("button", name="验收").click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="确认验收").click()
        page.wait_for_load_state("networkidle")
    assert page.get_by_text("整改事项已全部验收，整改销号").is_visible()
    assert page.get_by_text("整改销号", exact=False).first.is_visible()
    screenshot(page, "rectification_closed_dangjian")
    published.refresh_from_db()
    assert published.is_closed
    assert set(published.items.values_list("status", flat=True)) == {ItemStatus.ACCEPTED}
