"""axe-core (WCAG 2.1 A and AA) over the pages each demo role reaches from its home page and menu,
as the explorer (/work/shared/bin/explore.py) walks them: no serious or critical violation. Plus the
keyboard: a skip link, a visible focus ring on the red navbar, and Shift+Tab on the score sheet
never leaving the focused field under the sticky total."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ["dangjian", "jiancha1", "shuji", "lingdao", "admin"]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What the explorer does not follow (it never logs out, deletes or downloads).
SKIP = re.compile(r"logout|signout|/static/|/media/|\.(xlsx|pdf|zip|png|jpg|docx)$|delete|export|download", re.I)
DRAFT_BRANCH = "平川区供电公司党总支"


@pytest.fixture
def draft_sheet(demo):
    """The demo, with one of 第一检查组's sheets returned to draft, so the inspector meets an
    editable score sheet (and its problem rows) as well as read-only ones."""
    from scoring.models import ScoreSheet
    from scoring.services import sheet_return

    sheet = ScoreSheet.objects.get(quarter=demo.quarter, branch__name=DRAFT_BRANCH)
    sheet_return(sheet=sheet, actor=demo.users["dangjian"], reason="请核实后重新提交")
    return sheet


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line per rule."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
    path = urlparse(page.url).path
    return [
        f"{path}: {v['id']} ({v['impact']}) ×{len(v['nodes'])}: "
        + "; ".join(f"{n['target']} {n.get('failureSummary', '').splitlines()[-1].strip()}" for n in v["nodes"][:3])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pattern(url: str) -> str:
    """/boards/branch/12/?quarter=2018Q4 and /boards/branch/13/?quarter=2018Q3 are the same page."""
    parts = urlparse(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"=[^&]*", "=", parts.query) if parts.query else "")


def menu_and_home_links(page, base: str) -> list[str]:
    origin = urlparse(base).netloc
    links = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
        url = urldefrag(urljoin(page.url, href))[0]
        if urlparse(url).netloc == origin and not SKIP.search(url) and url not in links:
            links.append(url)
    return links


def test_every_page_each_role_reaches_passes_axe(browser, live_server, draft_sheet):
    """Each role's home, then every page its home and menu link to. A page another role already
    had checked (same view, same template) is not checked again: the machine is small."""
    failures: list[str] = []
    checked: dict[str, int] = {}
    seen: set[str] = set()
    for username in ROLES:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        browser_login(page, live_server, username, DEMO_PASSWORD)
        home = page.url
        failures += [f"{username} {line}" for line in serious_violations(page)]
        checked[username] = 1
        for url in menu_and_home_links(page, live_server.url):
            if url == home or pattern(url) in seen:
                continue
            seen.add(pattern(url))
            checked[username] += 1
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status < 400, f"{username}: {url} → {response and response.status}"
            failures += [f"{username} {line}" for line in serious_violations(page)]
        if username == "jiancha1":
            # The editable sheet, with a problem row added (its fields come from a <template>).
            page.goto(f"{live_server.url}/scoring/sheets/{draft_sheet.pk}/")
            page.click("#add-problem")
            assert page.locator("#new-problems select").count() >= 2  # the empty row and the added one
            failures += [f"{username} {line}" for line in serious_violations(page)]
        context.close()
    assert sum(checked.values()) >= 25 and all(n >= 2 for n in checked.values()), checked  # pages really walked
    assert not failures, "\n".join(failures)


def test_the_read_only_sheet_and_the_board_pass_axe(page, live_server, demo):
    """The pages the issue measured: a submitted sheet (method checkboxes and their labels) seen
    by 党建部, and the published board's red and blue rows."""
    from scoring.models import ScoreSheet

    sheet = ScoreSheet.objects.filter(quarter=demo.quarter, status=ScoreSheet.Status.SUBMITTED).first()
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{sheet.pk}/")
    boxes = page.locator(".scoring-cell-methods input[type=checkbox]")
    assert boxes.count() > 10
    for index in range(boxes.count()):
        box = boxes.nth(index)
        assert box.is_disabled()
        assert page.locator(f"label[for='{box.get_attribute('id')}']").count() == 1
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/boards/2018Q4/")
    assert page.locator(".board-tr-red a, .board-tr-blue a").count() >= 2
    assert serious_violations(page) == []


def test_a_skip_link_and_a_visible_focus_ring_on_the_red_navbar(page, live_server, demo):
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => [document.activeElement.textContent.trim(), document.activeElement.getBoundingClientRect().width]"
    )
    assert skip[0] == "跳到主要内容" and skip[1] > 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Shift+Tab")  # back into the navbar: the logout button
    page.focus(".portal-navbar .nav-link")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineColor, s.outlineWidth]; }"
    )
    assert ring == ["solid", "rgb(255, 255, 255)", "3px"]


def test_tabbing_backwards_on_the_score_sheet_keeps_the_field_below_the_sticky_total(page, live_server, draft_sheet):
    page.set_viewport_size({"width": 1366, "height": 700})
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{draft_sheet.pk}/")
    page.focus("#score-form button[value=submit]")
    checked = 0
    for _step in range(60):
        page.keyboard.press("Shift+Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement, bar = document.querySelector('.scoring-total-bar');
                return {inSheet: !!el.closest('.scoring-sheet'), top: el.getBoundingClientRect().top,
                        barBottom: bar.getBoundingClientRect().bottom, stuck: bar.getBoundingClientRect().top <= 0.5};
            }"""
        )
        if state["inSheet"] and state["stuck"]:
            checked += 1
            assert state["top"] >= state["barBottom"], state
    assert checked >= 20


def test_a_field_partly_under_the_sticky_total_comes_out_from_under_it_on_shift_tab(page, live_server, draft_sheet):
    """The case Chromium leaves alone: the field above is still partly in the viewport, its top
    under the bar. Focusing it backwards scrolls it out by the overlap plus a small margin — no more."""
    page.set_viewport_size({"width": 1366, "height": 700})
    browser_login(page, live_server, "jiancha1", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/scoring/sheets/{draft_sheet.pk}/")
    # Room below the sheet, so that every row can be scrolled up under the bar.
    page.evaluate("() => { document.body.style.paddingBottom = '100vh'; }")
    count = page.locator("#score-form .js-score").count()
    assert count >= 10
    checked = 0
    for index in range(count - 1, 1, -1):  # score boxes from the bottom up, well below the bar's own place
        page.evaluate(
            "(i) => document.querySelectorAll('#score-form .js-score')[i].focus({preventScroll: true})", index
        )
        page.keyboard.press("Tab")  # to the next field (its methods)
        # Put the score box's top 10 px under the stuck bar: partly visible, so no scroll of its own.
        page.evaluate(
            """(i) => {
                const el = document.querySelectorAll('#score-form .js-score')[i];
                const bar = document.querySelector('.scoring-total-bar');
                window.scrollBy({top: el.getBoundingClientRect().top - (bar.getBoundingClientRect().bottom - 10),
                                 behavior: 'instant'});
            }""",
            index,
        )
        before = page.evaluate(
            """(i) => { const el = document.querySelectorAll('#score-form .js-score')[i];
                       const bar = document.querySelector('.scoring-total-bar').getBoundingClientRect();
                       return {top: el.getBoundingClientRect().top, barBottom: bar.bottom, stuck: bar.top <= 0.5}; }""",
            index,
        )
        if not (before["stuck"] and before["top"] < before["barBottom"]):
            continue  # near the end of the page, which cannot scroll that far
        checked += 1
        page.keyboard.press("Shift+Tab")
        after = page.evaluate(
            """(i) => { const el = document.activeElement;
                       const bar = document.querySelector('.scoring-total-bar').getBoundingClientRect();
                       return {same: el === document.querySelectorAll('#score-form .js-score')[i],
                               top: el.getBoundingClientRect().top, barBottom: bar.bottom}; }""",
            index,
        )
        assert after["same"], (index, after)
        assert after["barBottom"] <= after["top"] <= after["barBottom"] + 12, (index, after)
    assert checked >= count // 2
