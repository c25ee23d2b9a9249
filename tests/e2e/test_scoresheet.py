"""Headless Chromium: an inspector of the demo scores a whole branch and submits it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def returned_sheet(db):
    """平川区's sheet, returned by 党建部 and emptied, so the inspector scores it from scratch."""
    from django.core.management import call_command

    from branches.models import User
    from scoring.models import Problem, Score, ScoreSheet
    from scoring.services import sheet_return

    call_command("seed_demo", "--company-only", verbosity=0)
    sheet = ScoreSheet.objects.get(quarter__code="2019Q1", branch__name="平川区供电公司党总支")
    sheet_return(sheet=sheet, actor=User.objects.get(username="dangjian"), reason="请重新核实后评分")
    Score.objects.filter(sheet=sheet).delete()
    Problem.objects.filter(sheet=sheet).delete()
    return sheet


def test_an_inspector_fills_and_submits_a_score_sheet(page, live_server, returned_sheet):
    from scoring.models import Problem, Score, ScoreSheet
    from scoring.selectors import scheme_for_category

    page.on("dialog", lambda dialog: dialog.accept())  # the "submit?" confirmation
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.get_by_role("link", name="进入检查组").click()
    page.locator("tr", has_text="平川区供电公司党总支").get_by_role("link", name="评分").click()
    assert page.locator("h1").inner_text() == "平川区供电公司党总支"
    assert page.get_by_text("请重新核实后评分").is_visible()

    indicators = scheme_for_category(returned_sheet.quarter, returned_sheet.branch.category)
    typed = {i.code: (i.max_score * Decimal("0.85")).quantize(Decimal("0.1")) for i in indicators}
    for indicator in indicators[:-1]:
        page.fill(f"#id_score_{indicator.pk}", str(typed[indicator.code]))
        page.check(f"#id_methods_{indicator.pk}_0")  # 查阅资料
    partial = sum(v for code, v in typed.items() if code != indicators[-1].code)
    # The running total follows the typing, before anything is saved.
    assert page.locator("#running-total").inner_text() == f"{partial:.1f}"
    assert page.locator("#scored-count").inner_text() == str(len(indicators) - 1)
    page.fill(f"#id_score_{indicators[0].pk}", "13")  # above the maximum of 12
    assert page.get_by_text("有得分格式不正确或超出满分，未计入合计。").is_visible()
    page.fill(f"#id_score_{indicators[0].pk}", str(typed[indicators[0].code]))

    page.fill(f"#id_note_{indicators[0].pk}", "下设支部补选委员材料不全")
    page.get_by_role("button", name="＋ 添加问题").click()  # a second problem row, added in place
    rows = page.locator("#new-problems tr")
    assert rows.count() == 2
    rows.nth(0).locator("select").select_option(label=f"{indicators[0].code} {indicators[0].name}")
    rows.nth(0).locator("input[name$='-description']").fill("下设支部补选委员流程不规范")
    rows.nth(1).locator("select").select_option(label=f"{indicators[1].code} {indicators[1].name}")
    rows.nth(1).locator("input[name$='-description']").fill("“三会一课”落实不到位")

    # Submitting with one indicator unscored is refused, and the typing is kept.
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("还有 1 项指标未评分").is_visible()
    assert page.locator(f"#id_score_{indicators[1].pk}").input_value() == str(typed[indicators[1].code])
    assert not Score.objects.filter(sheet=returned_sheet).exists()

    page.fill(f"#id_score_{indicators[-1].pk}", str(typed[indicators[-1].code]))
    assert page.locator("#running-total").inner_text() == f"{sum(typed.values()):.1f}"
    screenshot(page, "scoresheet_filled")
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("评分表已提交。").is_visible()
    assert page.locator("tr", has_text="平川区供电公司党总支").get_by_text("已提交").is_visible()

    returned_sheet.refresh_from_db()
    assert returned_sheet.status == ScoreSheet.Status.SUBMITTED
    values = {s.indicator.code: s.value for s in Score.objects.filter(sheet=returned_sheet).select_related("indicator")}
    assert values == typed
    assert set(Problem.objects.filter(sheet=returned_sheet).values_list("description", flat=True)) == {
        "下设支部补选委员流程不规范",
        "“三会一课”落实不到位",
    }
    page.locator("tr", has_text="平川区供电公司党总支").get_by_role("link", name="查看").click()
    assert page.get_by_text("评分表已提交，处于只读状态。").is_visible()
    assert page.locator(f"#id_score_{indicators[0].pk}").is_disabled()
    path = screenshot(page, "scoresheet_submitted")
    assert path.stat().st_size > 10_000


def test_the_dept_forms_groups_and_assigns_branches_in_the_browser(page, live_server, db):
    from django.core.management import call_command

    from scoring.models import ScoreSheet
    from scoring.services import quarter_create

    call_command("seed_demo", "--company-only", verbosity=0)
    quarter = quarter_create(code="2019Q2")
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/q/2019Q2/groups/")
    for name, leader, member in [
        ("第一检查组", "王磊", "刘芳"),
        ("第二检查组", "孙浩", "周静"),
        ("第三检查组", "马俊", "何丽"),
    ]:
        page.get_by_role("link", name="新建检查组").click()
        page.fill("#id_name", name)
        options = page.locator("#id_leader option").all_inner_texts()
        page.select_option("#id_leader", label=next(o for o in options if o.startswith(leader)))
        page.get_by_label(member, exact=False).check()
        page.get_by_role("button", name="保存").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text(f"已建立{name}。").is_visible()
    page.get_by_role("button", name="自动分配未分配的党组织").click()
    page.wait_for_load_state("networkidle")
    # One category per group where the numbers allow (issue 18), as in 2019Q1.
    assert page.get_by_text(
        "已自动分配：第一检查组 9 个（Ⅰ类），第二检查组 11 个（Ⅱ类），第三检查组 12 个（Ⅲ类）。"
    ).is_visible()
    assert page.get_by_text("每个检查组只检查一个类别，同类别的党组织由同一标准评分。").is_visible()

    # 王磊 belongs to 办公室党支部: moving it to his group is refused, with the reason in view.
    row = page.locator("tr", has=page.get_by_role("link", name="办公室党支部", exact=True))
    row.locator("select").select_option(label="第一检查组")
    row.get_by_role("button", name="改派").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("按交叉互查规则，第一检查组不能检查“办公室党支部”：组员王磊属于该党组织。").is_visible()
    screenshot(page, "groups_assigned")

    sheets = ScoreSheet.objects.filter(quarter=quarter).select_related("group", "branch")
    assert sheets.count() == 32
    for sheet in sheets:
        assert sheet.branch_id not in {m.branch_id for m in sheet.group.members.all()}
