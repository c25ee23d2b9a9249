"""Headless Chromium: 党建部 starts 2019Q2 from the browser — creates it, edits the scheme with a
deduction item, keeps last quarter's groups, opens scoring — and an inspector records a problem
against the deduction item and sees the proposed score."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RULE_LABEL = "S2 扣分：主题党日未按月开展（每发现一处扣 1 分，最多扣 3 分）"


def test_the_dept_starts_a_quarter_and_an_inspector_scores_by_deduction(page, live_server, db):
    from django.core.management import call_command

    from scoring.models import Indicator, Problem, Quarter, Score, ScoreSheet

    call_command("seed_demo", "--company-only", verbosity=0)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations (delete, open scoring)
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)

    # 1. A new quarter from the home page, copying 2019Q1 and its groups.
    page.get_by_role("link", name="新建季度").first.click()
    assert page.locator("#id_code").input_value() == "2019Q2"
    assert page.locator("#id_copy_from option:checked").inner_text().startswith("2019Q1")
    assert page.locator("#id_copy_groups").is_checked()
    screenshot(page, "quarter_create")
    page.get_by_role("button", name="新建季度").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已新建季度 2019Q2（准备）。").is_visible()
    assert page.get_by_text("本季度由 2019Q1 复制而来").is_visible()
    groups = page.locator("#setup-groups li")
    assert groups.count() == 3
    assert "第一检查组" in groups.nth(0).inner_text()
    screenshot(page, "quarter_setup")

    # 2. The scheme editor: a deduction item on S2, an extra criterion moved up, then removed.
    page.get_by_role("link", name="编辑考核指标体系").click()
    s2 = Indicator.objects.get(quarter__code="2019Q2", code="S2")
    page.locator(f"#indicator-{s2.pk}").get_by_role("link", name="＋ 添加扣分标准").click()
    page.fill("#id_description", "主题党日未按月开展")
    page.fill("#id_points", "1")
    page.check("#id_per_occurrence")
    page.fill("#id_cap", "3")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("主题党日未按月开展：每发现一处扣 1 分，最多扣 3 分").is_visible()

    page.locator("#section-3").get_by_role("link", name="＋ 添加指标").click()
    page.fill("#id_code", "C5")
    page.fill("#id_name", "支部学习园地")
    page.fill("#id_max_score", "2")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#total-3").get_by_text("合计 102.0 分，不是 100 分").is_visible()
    page.get_by_role("button", name="上移“支部学习园地”").click()
    page.wait_for_load_state("networkidle")
    codes = page.locator("#section-3 tbody tr td:nth-child(2)").all_inner_texts()
    assert codes == ["C1", "C2", "C3", "C5", "C4"]
    screenshot(page, "scheme_editor")
    page.get_by_role("button", name="删除“支部学习园地”").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#scheme-totals .js-total-warning").count() == 0

    # 3. Last quarter's groups are there; assign the branches, open scoring.
    page.get_by_role("link", name="检查组与分配").first.click()
    for name in ("第一检查组", "第二检查组", "第三检查组"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    page.get_by_role("button", name="自动分配未分配的党组织").click()
    page.wait_for_load_state("networkidle")
    assert ScoreSheet.objects.filter(quarter__code="2019Q2", group__isnull=False).count() == 32
    page.get_by_role("link", name="季度准备").click()
    page.get_by_role("button", name="开始评分").click()
    page.wait_for_load_state("networkidle")
    assert Quarter.objects.get(code="2019Q2").status == Quarter.Status.SCORING
    page.get_by_role("link", name="考核指标体系").first.click()
    assert page.get_by_text("考核指标体系已冻结，只能查看").is_visible()
    assert page.get_by_role("link", name="＋ 添加指标").count() == 0
    screenshot(page, "scheme_frozen")

    # 4. An inspector of 第一检查组 records a problem against the deduction item.
    page.context.clear_cookies()
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    sheet = (
        ScoreSheet.objects.filter(quarter__code="2019Q2", group__members__username="jiancha1")
        .order_by("branch__name")
        .first()
    )
    s2 = Indicator.objects.get(quarter__code="2019Q2", code="S2")
    page.goto(f"{live_server.url}/scoring/sheets/{sheet.pk}/")
    assert page.get_by_text("主题党日未按月开展：每发现一处扣 1 分，最多扣 3 分").is_visible()
    row = page.locator("#new-problems tr").nth(0)
    row.locator("select").select_option(label=RULE_LABEL)
    row.locator("input[name$='-count']").fill("2")
    row.locator("input[name$='-count']").dispatch_event("input")
    hint = page.locator(f".js-proposed[data-indicator='{s2.pk}']")
    assert hint.is_visible()
    assert hint.locator(".js-proposed-value").inner_text() == "10.0"
    assert page.locator(f"#id_score_{s2.pk}").input_value() == "10.0"  # filled from the proposal
    page.fill(f"#id_score_{s2.pk}", "11")
    assert hint.get_by_text("与建议得分不同，请在备注中说明理由。").is_visible()
    screenshot(page, "sheet_deduction_override")
    hint.get_by_role("button", name="采用建议得分").click()
    assert page.locator(f"#id_score_{s2.pk}").input_value() == "10.0"
    assert not hint.get_by_text("与建议得分不同").is_visible()
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("草稿已保存").is_visible()
    problem = Problem.objects.get(sheet=sheet)
    assert (problem.description, problem.count, problem.deduction.description) == (
        "主题党日未按月开展",
        2,
        "主题党日未按月开展",
    )
    assert Score.objects.get(sheet=sheet, indicator=s2).value == Decimal("10.0")
    assert page.get_by_text("扣分标准：每发现一处扣 1 分，最多扣 3 分；发现 2 处").is_visible()
    # His own save, with a problem against a deduction item and its description left to the
    # server: the sheet does not offer to "restore" input that is already saved.
    assert not page.locator("#draft-notice").is_visible()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert not page.locator("#draft-notice").is_visible()
    path = screenshot(page, "sheet_deduction_saved")
    assert path.stat().st_size > 10_000
