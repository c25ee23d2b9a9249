"""Headless Chromium: the score sheet never cries wolf. After the inspector's own save — full-width
digits, an added problem — nothing says someone else changed the sheet; a draft restored over his
own later save is saved without a 409 naming him; the submit question waits for a complete sheet."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DRAFT_KEYS = "Object.keys(window.localStorage).filter(k => k.startsWith('scoresheet-draft:'))"


@pytest.fixture
def returned_sheet(db):
    """平川区's sheet, returned by 党建部 and emptied: a draft the inspector jiancha1 fills in."""
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


def add_problem(page, indicator, description: str) -> None:
    rows = page.locator("#new-problems tr")
    row = rows.nth(rows.count() - 1)
    if row.locator("input[name$='-description']").input_value():
        page.get_by_role("button", name="＋ 添加问题").click()
        row = page.locator("#new-problems tr").last
    row.locator("select").select_option(label=f"{indicator.code} {indicator.name}")
    row.locator("input[name$='-description']").fill(description)


def assert_no_wolf(page) -> None:
    """Nothing on the page says the sheet was changed by someone else, and no draft is left."""
    shown = page.locator("body").inner_text()
    assert not page.locator("#draft-notice").is_visible()
    assert "已被更新" not in shown and "他人修改" not in shown and "本机保存" not in shown
    assert page.locator("#stale-warning").count() == 0
    assert page.evaluate(DRAFT_KEYS) == []


def test_the_inspectors_own_save_with_full_width_digits_and_a_problem_raises_no_alarm(
    page, live_server, returned_sheet
):
    from scoring.models import Problem, Score
    from scoring.selectors import scheme_for_category

    first, second = scheme_for_category(returned_sheet.quarter, returned_sheet.branch.category)[:2]
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    sheet_url = f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/"
    page.goto(sheet_url)
    page.fill(f"#id_score_{first.pk}", "９.５")
    page.fill(f"#id_score_{second.pk}", "８。０")
    assert page.locator("#running-total").inner_text() == "17.5"  # the browser reads them as the server does
    add_problem(page, first, "下设支部补选委员流程不规范")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("草稿已保存").is_visible()
    assert Score.objects.get(sheet=returned_sheet, indicator=first).value == Decimal("9.5")
    assert list(Problem.objects.filter(sheet=returned_sheet).values_list("description", flat=True)) == [
        "下设支部补选委员流程不规范"
    ]
    assert_no_wolf(page)
    page.reload()  # and again later: still nothing to restore, nobody else named
    assert_no_wolf(page)
    assert page.locator(f"#id_score_{first.pk}").input_value() == "9.5"
    screenshot(page, "scoresheet_own_save_no_alarm")


def test_a_draft_restored_over_the_inspectors_own_later_save_is_saved_without_a_409(page, live_server, returned_sheet):
    from branches.models import User
    from scoring.models import Problem, Score, ScoreChange
    from scoring.selectors import scheme_for_category
    from scoring.services import ScoreEntry, sheet_save

    first, second, third = scheme_for_category(returned_sheet.quarter, returned_sheet.branch.category)[:3]
    inspector = User.objects.get(username="jiancha1")
    returned_sheet.refresh_from_db()
    returned_at = returned_sheet.version
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/")
    # On site, the connection gone: full-width digits and a problem, kept in this browser only.
    page.context.set_offline(True)
    page.fill(f"#id_score_{first.pk}", "９.５")
    add_problem(page, second, "“三会一课”落实不到位")
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("网络已断开").is_visible()
    page.context.set_offline(False)
    # Meanwhile the same inspector saves from his phone: the sheet moves on a version, by him.
    returned_sheet.refresh_from_db()
    sheet_save(
        sheet=returned_sheet,
        actor=inspector,
        base_version=returned_sheet.version,
        entries={third.pk: ScoreEntry(value=Decimal("7"))},
    )

    page.reload()
    notice = page.locator("#draft-notice .js-draft-text").inner_text()
    assert "此后您本人又保存过评分表" in notice and "他人" not in notice  # nobody else is blamed
    assert page.locator(f"#id_score_{third.pk}").input_value() == "7.0"
    page.get_by_role("button", name="恢复本机输入").click()
    assert page.locator(f"#id_score_{first.pk}").input_value() == "９.５"
    assert page.locator(f"#id_score_{third.pk}").input_value() == "7.0"  # his phone's save is not blanked
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("草稿已保存").is_visible()
    assert page.locator("#stale-warning").count() == 0  # no 409, nobody named — least of all himself
    screenshot(page, "scoresheet_restored_own_draft")
    saved = dict(Score.objects.filter(sheet=returned_sheet).values_list("indicator_id", "value"))
    assert saved == {first.pk: Decimal("9.5"), third.pk: Decimal("7.0")}
    assert list(Problem.objects.filter(sheet=returned_sheet).values_list("indicator_id", "description")) == [
        (second.pk, "“三会一课”落实不到位")
    ]
    since = ScoreChange.objects.filter(sheet=returned_sheet, version__gt=returned_at)
    assert set(since.values_list("user__username", flat=True)) == {"jiancha1"}
    page.reload()
    assert_no_wolf(page)


def test_the_submit_question_appears_only_when_the_sheet_is_complete(page, live_server, returned_sheet):
    from scoring.models import ScoreSheet
    from scoring.selectors import scheme_for_category

    indicators = scheme_for_category(returned_sheet.quarter, returned_sheet.branch.category)
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/")
    for indicator in indicators[:-1]:
        page.fill(f"#id_score_{indicator.pk}", "１")
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state("networkidle")
    assert questions == []  # incomplete: no question, the server names what is missing
    assert page.get_by_text("还有 1 项指标未评分").is_visible()

    page.fill(f"#id_score_{indicators[-1].pk}", "99")  # above the maximum: still not complete
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state("networkidle")
    assert questions == []
    returned_sheet.refresh_from_db()
    assert returned_sheet.status == ScoreSheet.Status.DRAFT

    page.fill(f"#id_score_{indicators[-1].pk}", "１")
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state("networkidle")
    assert questions == ["确定提交吗？提交后本组只能查看，如需修改须由党建部退回。"]
    returned_sheet.refresh_from_db()
    assert returned_sheet.status == ScoreSheet.Status.SUBMITTED
