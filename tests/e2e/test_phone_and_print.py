"""Headless Chromium: a score sheet completed at phone width (with a dropped connection on the way),
and the board and the 通报 printed to PDF from the browser."""

from __future__ import annotations

import io
import re
import unicodedata
from decimal import Decimal

import pytest
from pypdf import PdfReader

from demo.organisation import DEMO_PASSWORD
from tests.helpers import SCREENSHOT_DIR, browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


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


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_inspector_completes_a_sheet_at_phone_width_through_a_dropped_connection(phone, live_server, returned_sheet):
    from scoring.models import Score, ScoreSheet
    from scoring.selectors import scheme_for_category

    page = phone
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/")
    assert no_horizontal_overflow(page)

    indicators = scheme_for_category(returned_sheet.quarter, returned_sheet.branch.category)
    typed = {i.pk: (i.max_score * Decimal("0.9")).quantize(Decimal("0.1")) for i in indicators}
    first, last = indicators[0], indicators[-1]
    # Large touch targets: score boxes, method boxes and the buttons.
    assert page.locator(f"#id_score_{first.pk}").bounding_box()["height"] >= 44
    assert page.locator(f"#id_methods_{first.pk}_0").bounding_box()["height"] >= 24
    assert page.get_by_role("button", name="提交评分表").bounding_box()["height"] >= 44

    for indicator in indicators[:-1]:
        page.fill(f"#id_score_{indicator.pk}", str(typed[indicator.pk]))
    page.check(f"#id_methods_{first.pk}_0")
    page.fill(f"#id_note_{first.pk}", "现场查阅会议记录")

    # The running total stays in view while scrolling down the sheet.
    page.locator(f"#id_score_{last.pk}").scroll_into_view_if_needed()
    box = page.locator("#running-total").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]
    partial = sum(v for pk, v in typed.items() if pk != last.pk)
    assert page.locator("#running-total").inner_text() == f"{partial:.1f}"
    assert no_horizontal_overflow(page)
    screenshot(page, "phone_scoresheet_typing")

    # The connection drops: saving is held back, the input stays in this browser.
    page.context.set_offline(True)
    page.get_by_role("button", name="保存草稿").click()
    assert page.get_by_text("网络已断开").is_visible()
    assert not Score.objects.filter(sheet=returned_sheet).exists()
    screenshot(page, "phone_scoresheet_offline")
    page.context.set_offline(False)

    # Reloaded later (the same version of the sheet): every entry comes back.
    page.reload()
    assert page.get_by_text("已恢复本机保存的未提交输入").is_visible()
    assert page.locator(f"#id_score_{first.pk}").input_value() == str(typed[first.pk])
    assert page.locator(f"#id_note_{first.pk}").input_value() == "现场查阅会议记录"
    assert page.locator(f"#id_methods_{first.pk}_0").is_checked()
    assert page.locator("#running-total").inner_text() == f"{partial:.1f}"

    page.fill(f"#id_score_{last.pk}", str(typed[last.pk]))
    page.get_by_role("button", name="提交评分表").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("评分表已提交。").is_visible()
    assert no_horizontal_overflow(page)
    returned_sheet.refresh_from_db()
    assert returned_sheet.status == ScoreSheet.Status.SUBMITTED
    saved = dict(Score.objects.filter(sheet=returned_sheet).values_list("indicator_id", "value"))
    assert saved == typed
    # Once the server has it, the kept copy is gone.
    page.goto(f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/")
    assert page.evaluate("Object.keys(window.localStorage).filter(k => k.startsWith('scoresheet-draft:'))") == []
    screenshot(page, "phone_scoresheet_submitted")


def test_a_saved_draft_leaves_nothing_behind_in_the_browser(phone, live_server, returned_sheet):
    from scoring.models import Score
    from scoring.selectors import scheme_for_category

    page = phone
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/")
    first = scheme_for_category(returned_sheet.quarter, returned_sheet.branch.category)[0]
    page.fill(f"#id_score_{first.pk}", "9")  # stored as 9.0
    page.fill(f"#id_note_{first.pk}", "  记录齐全  ")  # stored trimmed
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert Score.objects.get(sheet=returned_sheet, indicator=first).value == Decimal("9.0")
    page.goto(f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/")
    assert not page.locator("#draft-notice").is_visible()
    assert page.evaluate("Object.keys(window.localStorage).filter(k => k.startsWith('scoresheet-draft:'))") == []


def test_a_draft_typed_on_an_older_version_is_not_restored_over_someone_elses_save(phone, live_server, returned_sheet):
    from scoring.models import Score
    from scoring.selectors import scheme_for_category
    from scoring.services import ScoreEntry, sheet_save

    page = phone
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{returned_sheet.pk}/")
    first = scheme_for_category(returned_sheet.quarter, returned_sheet.branch.category)[0]
    page.context.set_offline(True)
    page.fill(f"#id_score_{first.pk}", "9")
    page.context.set_offline(False)
    # Meanwhile a colleague saves the sheet: its version moves on.
    returned_sheet.refresh_from_db()
    from branches.models import User

    sheet_save(
        sheet=returned_sheet,
        actor=User.objects.get(username="jiancha1b"),
        base_version=returned_sheet.version,
        entries={first.pk: ScoreEntry(value=Decimal("11"))},
    )
    page.reload()
    assert page.get_by_text("没有自动恢复").is_visible()
    assert page.locator(f"#id_score_{first.pk}").input_value() == "11.0"
    # Restoring posts the old version: the lock reports the colleague's change instead of overwriting it.
    page.get_by_role("button", name="恢复本机输入").click()
    assert page.locator(f"#id_score_{first.pk}").input_value() == "9"
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#stale-warning").is_visible()
    assert Score.objects.get(sheet=returned_sheet, indicator=first).value == Decimal("11.0")


def pdf_pages(pdf: bytes) -> list[str]:
    # NFKC: the fonts map some characters to their Kangxi-radical forms (⽀ for 支).
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_board_prints_one_page_per_category_after_its_boards(page, live_server, db):
    from django.core.management import call_command

    from boards.services import quarter_publish
    from branches.models import User
    from scoring.models import Quarter

    call_command("seed_demo", "--company-only", verbosity=0)
    quarter_publish(quarter=Quarter.objects.get(code="2019Q1"), user=User.objects.get(username="dangjian"))
    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/2019Q1/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    (SCREENSHOT_DIR / "board_2019Q1.pdf").write_bytes(pdf)
    texts = pdf_pages(pdf)
    # The boards, then one page for each of the three categories, each on A4 landscape.
    assert len(texts) == 1 + 3
    reader = PdfReader(io.BytesIO(pdf))
    assert all(round(float(p.mediabox.width)) == 842 and round(float(p.mediabox.height)) == 595 for p in reader.pages)
    assert "红榜" in texts[0] and "平川区供电公司党总支" in texts[0]
    for text, label in zip(texts[1:], ["I", "II", "III"], strict=True):  # Ⅰ Ⅱ Ⅲ after NFKC
        heading = re.match(r"\s*(I{1,3})\s*类排名", text)
        assert heading and heading.group(1) == label, text[:40]
    assert "白银变电运检中心党支部" in texts[1] and "鸿运物业分公司党支部" in texts[2] and "营销部党支部" in texts[3]
    # No navigation, no search box, no buttons in print.
    assert not any("退出" in t or "查找" in t or "打印" in t for t in texts)

    # Red and blue are kept: the print stylesheet asks for exact colours on the board rows.
    page.emulate_media(media="print")
    adjust = page.locator(".board-tr-red td").first.evaluate("e => getComputedStyle(e).printColorAdjust")
    background = page.locator(".board-tr-blue td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert adjust == "exact" and background == "rgb(234, 241, 251)"


def test_the_announcement_prints_on_one_a4_page_without_navigation(page, live_server, db):
    from django.core.management import call_command

    from boards.services import quarter_publish
    from branches.models import User
    from scoring.models import Quarter

    call_command("seed_demo", "--company-only", verbosity=0)
    quarter_publish(quarter=Quarter.objects.get(code="2019Q1"), user=User.objects.get(username="dangjian"))
    browser_login(page, live_server, "shuji", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/2019Q1/announcement/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOT_DIR / "announcement_2019Q1.pdf").write_bytes(pdf)
    texts = pdf_pages(pdf)
    assert len(texts) == 1
    assert "通报" in texts[0] and "返回红蓝榜" not in texts[0] and "退出" not in texts[0]
    reader = PdfReader(io.BytesIO(pdf))
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4 portrait
