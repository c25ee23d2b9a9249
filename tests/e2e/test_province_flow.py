"""Headless Chromium, the whole province flow of issue 17 on an empty installation: the province's
党建部 imports the unit tree and the branch list from Excel and publishes its scheme as the
template; the user list is imported by the system administrator (accounts and roles are his);
each city's 党建部 signs in with the imported password, starts its quarter from the province's
template, gets its scores in (白银: the filled score template uploaded; 定西: the same for all but
one branch, which the city's inspector scores in the browser) and publishes; then the province's
党建部 opens the roll-up, sees both cities side by side with their own red and blue names (the
same branch names in both), drills down to a city's board and opens the big screen.
Screenshots in /tmp/province-shots."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from branches import roles
from tests.helpers import browser_login, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/province-shots")
PASSWORD = "Province@2026-e2e"
PROVINCE, BAIYIN, DINGXI = "国网甘肃省电力公司", "国网白银供电公司", "国网定西供电公司"
SLUG = {BAIYIN: "baiyin", DINGXI: "dingxi"}

UNITS = [
    (PROVINCE, "", "是"),
    ("甘肃省电力公司本部", PROVINCE, "否"),
    (BAIYIN, PROVINCE, "是"),
    ("白银供电公司本部", BAIYIN, "否"),
    ("靖远县供电公司", BAIYIN, "否"),
    ("会宁县供电公司", BAIYIN, "否"),
    (DINGXI, PROVINCE, "是"),
    ("定西供电公司本部", DINGXI, "否"),
    ("安定区供电公司", DINGXI, "否"),
    ("陇西县供电公司", DINGXI, "否"),
]
# (组织名称, 类别, 组织类型, 所属单位): 办公室党支部 in all three evaluating units.
BRANCHES = [
    ("办公室党支部", "Ⅲ", "党支部", "甘肃省电力公司本部"),
    ("靖远县供电公司党总支", "Ⅰ", "党总支", "靖远县供电公司"),
    ("会宁县供电公司党总支", "Ⅰ", "党总支", "会宁县供电公司"),
    ("办公室党支部", "Ⅲ", "党支部", "白银供电公司本部"),
    ("财务部党支部", "Ⅲ", "党支部", "白银供电公司本部"),
    ("营销部党支部", "Ⅲ", "党支部", "白银供电公司本部"),
    ("安定区供电公司党总支", "Ⅰ", "党总支", "安定区供电公司"),
    ("陇西县供电公司党总支", "Ⅰ", "党总支", "陇西县供电公司"),
    ("办公室党支部", "Ⅲ", "党支部", "定西供电公司本部"),
    ("财务部党支部", "Ⅲ", "党支部", "定西供电公司本部"),
    ("营销部党支部", "Ⅲ", "党支部", "定西供电公司本部"),
]
# (账号, 姓名, 所属党组织, 角色, 邮箱, 所属单位)
USERS = [
    ("by_dangjian", "白银党建部", "", "党建部", "", BAIYIN),
    ("dx_dangjian", "定西党建部", "", "党建部", "", DINGXI),
    ("dx_jiancha", "定西检查员", "办公室党支部", "检查组成员", "", DINGXI),
]
# Points each branch loses on its first indicator (every other one at its maximum). 定西's
# 营销部党支部 is scored in the browser by its inspector, losing 1.
LOSSES = {
    BAIYIN: {
        "靖远县供电公司党总支": "0.5",
        "会宁县供电公司党总支": "2",
        "财务部党支部": "0",
        "办公室党支部": "1",
        "营销部党支部": "3",
    },
    DINGXI: {"安定区供电公司党总支": "1", "陇西县供电公司党总支": "0.2", "办公室党支部": "0.4", "财务部党支部": "2.5"},
}
RED = {
    BAIYIN: ["靖远县供电公司党总支", "财务部党支部"],
    DINGXI: ["陇西县供电公司党总支", "办公室党支部"],
}
BLUE = {
    BAIYIN: ["会宁县供电公司党总支", "营销部党支部"],
    DINGXI: ["安定区供电公司党总支", "财务部党支部"],
}


def shot(page, name: str, *, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def workbook(path: Path, headers: list[str], rows) -> str:
    wb = Workbook()
    wb.active.append(headers)
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return str(path)


def sign_in(page, live_server, username: str, password: str) -> None:
    page.context.clear_cookies()
    browser_login(page, live_server, username, password)
    assert page.locator("input[name=password]").count() == 0, f"{username} could not sign in"


def upload(page, path: str) -> None:
    page.set_input_files("form.reports-upload input[type=file]", path)
    page.click("form.reports-upload button[type=submit]")
    page.wait_for_load_state("networkidle")


def success(page) -> str:
    return page.locator(".alert-success").first.inner_text()


def new_quarter_from_the_template(page, live_server) -> None:
    page.goto(f"{live_server.url}/scoring/quarters/new/")
    page.fill("#id_code", "2019Q1")
    chosen = page.locator("#id_copy_from option:checked").inner_text()
    assert chosen == f"2019Q1（{PROVINCE}下发的模板）", chosen
    page.get_by_role("button", name="新建季度").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已新建季度 2019Q1（准备）。").is_visible()


def open_scoring(page, live_server) -> None:
    page.goto(f"{live_server.url}/scoring/q/2019Q1/setup/")
    page.get_by_role("button", name="开始评分").click()
    page.wait_for_load_state("networkidle")


def import_filled_template(page, live_server, tmp_path: Path, city: str, skip: str | None = None) -> None:
    """Download the 党建部 template on the reports page, fill it as LOSSES says, upload it with 提交."""
    page.goto(f"{live_server.url}/reports/")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板：党建部（全部党组织）").first.click()
    path = tmp_path / f"{city}-template.xlsx"
    download.value.save_as(path)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        maxima = [c.value for c in ws[2]][1:]
        for row in list(ws.iter_rows(min_row=3)):
            name = row[0].value
            loss = Decimal(LOSSES[city].get(name, "0"))
            for index, maximum in enumerate(maxima, start=1):
                row[index].value = float(Decimal(str(maximum)) - (loss if index == 1 else 0))
        for n in [r[0].row for r in ws.iter_rows(min_row=3) if r[0].value == skip][::-1]:
            ws.delete_rows(n)
    wb.save(path)
    page.goto(f"{live_server.url}/reports/imports/scores/")
    page.select_option("select[name=quarter]", "2019Q1")
    page.check("input[name=submit]")
    upload(page, str(path))
    assert "导入成功" in success(page), page.locator("main").inner_text()[:800]
    shot(page, f"scores_imported_{SLUG[city]}")


def publish_in_the_browser(page, live_server, city: str) -> None:
    page.goto(f"{live_server.url}/boards/2019Q1/preview/")
    assert page.get_by_text("所有参加考评的党组织均已完成评分").is_visible()
    shot(page, f"preview_{SLUG[city]}")
    page.check("#confirm-publish")
    page.click("button:has-text('发布红蓝榜')")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("2019年第1季度红蓝榜已发布，评分已冻结。").is_visible()
    shot(page, f"published_{SLUG[city]}")


def test_the_province_flow_in_the_browser(page, live_server, tmp_path, settings):
    from boards.models import BoardEntry
    from branches.models import Branch, Unit, User
    from branches.units import unit_create
    from scoring.models import Quarter, ScoreSheet
    from scoring.selectors import scheme_for_category
    from tests.helpers import forget_producer_pool

    forget_producer_pool()
    settings.REPORTS_ROOT = str(tmp_path / "reports")
    page.on("dialog", lambda dialog: dialog.accept())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The installation's first step (an operator's commands): the province and its 党建部, and the
    # system administrator.
    province = unit_create(name=PROVINCE, is_evaluating=True)
    for username, role, unit in (("gs_dangjian", roles.DEPT, province), ("sysadmin", roles.ADMIN, None)):
        user = make_user(role, username=username, name=username, unit=unit, is_staff=role == roles.ADMIN)
        user.is_superuser = role == roles.ADMIN
        user.set_password(PASSWORD)
        user.save()

    # 1. The province's 党建部 imports the unit tree.
    sign_in(page, live_server, "gs_dangjian", PASSWORD)
    page.goto(f"{live_server.url}/reports/imports/units/")
    upload(page, workbook(tmp_path / "units.xlsx", ["单位名称", "上级单位", "考评单位"], UNITS))
    assert "导入成功" in success(page)
    shot(page, "units_imported")
    assert Unit.objects.get(name=DINGXI).get_parent() == province
    assert set(Unit.objects.filter(is_evaluating=True).values_list("name", flat=True)) == {PROVINCE, BAIYIN, DINGXI}

    # 2. The branch list, by the province's 党建部 (its subtree), then the users (系统管理员's import).
    page.goto(f"{live_server.url}/reports/imports/branches/")
    upload(
        page,
        workbook(
            tmp_path / "branches.xlsx",
            ["组织名称", "类别", "组织类型", "上级组织", "所属单位"],
            [(n, c, k, "", u) for n, c, k, u in BRANCHES],
        ),
    )
    assert "导入成功：新建 11 个党组织" in success(page)
    shot(page, "branches_imported")
    assert Branch.objects.filter(name="办公室党支部").count() == 3
    sign_in(page, live_server, "sysadmin", PASSWORD)
    page.goto(f"{live_server.url}/reports/imports/users/")
    upload(page, workbook(tmp_path / "users.xlsx", ["账号", "姓名", "所属党组织", "角色", "邮箱", "所属单位"], USERS))
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    passwords = {
        rows.nth(n).locator("td").first.inner_text(): rows.nth(n).locator("code").inner_text() for n in range(3)
    }
    shot(page, "users_imported")
    assert User.objects.get(username="dx_jiancha").branch.evaluating_unit.name == DINGXI

    # 3. The province's quarter: its scheme published as the template for the cities.
    sign_in(page, live_server, "gs_dangjian", PASSWORD)
    page.goto(f"{live_server.url}/scoring/quarters/new/")
    page.fill("#id_code", "2019Q1")
    page.get_by_role("button", name="新建季度").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/scoring/q/2019Q1/scheme/")
    page.get_by_role("button", name="发布为下级单位模板").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已将 2019Q1 的考核指标体系发布为下级单位模板。").is_visible()
    shot(page, "province_template")

    # 4. 白银: from the template, scores imported from the filled template, published.
    sign_in(page, live_server, "by_dangjian", passwords["by_dangjian"])
    new_quarter_from_the_template(page, live_server)
    shot(page, "quarter_created_baiyin")
    open_scoring(page, live_server)
    import_filled_template(page, live_server, tmp_path, BAIYIN)
    publish_in_the_browser(page, live_server, BAIYIN)

    # 5. 定西: from the template; one group with the city's inspector, who scores 营销部党支部.
    sign_in(page, live_server, "dx_dangjian", passwords["dx_dangjian"])
    new_quarter_from_the_template(page, live_server)
    page.goto(f"{live_server.url}/scoring/q/2019Q1/groups/new/")
    page.fill("#id_name", "第一检查组")
    page.select_option("#id_leader", str(User.objects.get(username="dx_jiancha").pk))
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/scoring/q/2019Q1/groups/")
    page.locator("tr", has_text="营销部党支部").get_by_role("button", name="分配").click()
    page.wait_for_load_state("networkidle")
    shot(page, "groups_dingxi")
    open_scoring(page, live_server)
    import_filled_template(page, live_server, tmp_path, DINGXI, skip="营销部党支部")

    sign_in(page, live_server, "dx_jiancha", passwords["dx_jiancha"])
    dingxi_q1 = Quarter.objects.get(unit__name=DINGXI, code="2019Q1")
    sheet = ScoreSheet.objects.get(quarter=dingxi_q1, branch__name="营销部党支部")
    page.get_by_role("link", name="进入检查组").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("tr", has_text="营销部党支部").get_by_role("link", name="评分").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "营销部党支部"
    indicators = scheme_for_category(dingxi_q1, "3")
    for n, indicator in enumerate(indicators):
        page.fill(f"#id_score_{indicator.pk}", str(indicator.max_score - (1 if n == 0 else 0)))
        page.check(f"#id_methods_{indicator.pk}_0")
    shot(page, "sheet_dingxi_inspector")
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state("networkidle")
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED and sheet.submitted_by.username == "dx_jiancha"

    sign_in(page, live_server, "dx_dangjian", passwords["dx_dangjian"])
    publish_in_the_browser(page, live_server, DINGXI)

    # 6. The province reads both cities side by side, drills down, opens the big screen.
    sign_in(page, live_server, "gs_dangjian", PASSWORD)
    page.get_by_role("link", name="单位汇总").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#rollup-title").inner_text() == f"{PROVINCE} 2019Q1 红蓝榜汇总"
    for city in (BAIYIN, DINGXI):
        row = page.locator(f'#rollup-units tr[data-unit="{city}"]')
        assert row.get_attribute("data-published") == "1"
        assert row.locator(".rollup-red").inner_text() == "、".join(RED[city])
        assert row.locator(".rollup-blue").inner_text() == "、".join(BLUE[city])
        quarter = Quarter.objects.get(unit__name=city, code="2019Q1")
        frozen = BoardEntry.objects.filter(quarter=quarter).order_by("category", "rank")
        assert [e.branch_name for e in frozen if e.board == "red"] == RED[city]
        assert [e.branch_name for e in frozen if e.board == "blue"] == BLUE[city]
    own = page.locator(f'#rollup-units tr[data-unit="{PROVINCE}"]')
    assert own.get_attribute("data-published") == "0"  # the province's own quarter: still 准备
    shot(page, "rollup_province")

    page.locator(f'#rollup-units tr[data-unit="{DINGXI}"] a').first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"?unit={Unit.objects.get(name=DINGXI).pk}")
    board = page.locator("main").inner_text()
    assert "陇西县供电公司党总支" in board and "靖远县供电公司党总支" not in board
    shot(page, "board_dingxi_from_rollup")

    page.goto(f"{live_server.url}/rollup/")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.click("#rollup-screen-link")
    page.wait_for_load_state("networkidle")
    screen = page.locator("main, body").first.inner_text()
    assert BAIYIN in screen and DINGXI in screen and "会宁县供电公司党总支" in screen
    shot(page, "screen_province", full_page=False)
    assert errors == []
