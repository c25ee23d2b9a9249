"""History over quarters, the 通报, and the rules page."""

from __future__ import annotations

import json
import re

import pytest

from boards.services import quarter_publish
from scoring.models import Quarter
from tests.boards.helpers import score_quarter
from tests.factories import QuarterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_quarters(dept_user):
    """支部1-001 first then last; 支部1-003 last then first."""
    q1 = QuarterFactory(code="2031Q1", status=Quarter.Status.SCORING)
    branches = score_quarter(q1, {"1": ["0.9", "0.8", "0.7"]})
    quarter_publish(quarter=q1, user=dept_user)
    q2 = QuarterFactory(code="2031Q2", status=Quarter.Status.SCORING)
    from scoring.models import Score, ScoreSheet

    for name, fraction in (("支部1-001", "0.6"), ("支部1-002", "0.8"), ("支部1-003", "0.95")):
        sheet = ScoreSheet.objects.create(quarter=q2, branch=branches[name], status=ScoreSheet.Status.SUBMITTED)
        from decimal import Decimal

        from scoring.selectors import scheme_for_category

        Score.objects.bulk_create(
            Score(sheet=sheet, indicator=i, value=(i.max_score * Decimal(fraction)).quantize(Decimal("0.1")))
            for i in scheme_for_category(q2, "1")
        )
    quarter_publish(quarter=q2, user=dept_user)
    return branches


def test_the_history_page_shows_rank_and_total_per_quarter_and_board_counts(client, two_quarters, secretary_user):
    client.force_login(secretary_user)
    html = client.get("/boards/history/").content.decode()
    row = html.split('data-branch="支部1-001"')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
    assert cells[0].startswith("1 / ") and cells[1].startswith("3 / ")
    assert cells[2:] == ["1", "1"]  # once red, once blue
    assert "2031Q1" in html and "2031Q2" in html


def test_the_history_can_be_searched_and_filtered(client, two_quarters, secretary_user):
    client.force_login(secretary_user)
    html = client.get("/boards/history/?q=1-002").content.decode()
    assert 'data-branch="支部1-002"' in html and 'data-branch="支部1-001"' not in html
    assert "还没有已发布的考评结果" in client.get("/boards/history/?category=3").content.decode()


def test_a_branch_page_lists_its_history(client, two_quarters, secretary_user):
    client.force_login(secretary_user)
    branch = two_quarters["支部1-003"]
    html = client.get(f"/boards/branch/{branch.pk}/").content.decode()
    assert "红榜 1 次，蓝榜 1 次。" in html
    assert "2031年第2季度总分" in html  # the latest published quarter by default
    chart = json.loads(
        re.search(r'<script id="board-history-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert chart["labels"] == ["2031Q1", "2031Q2"] and chart["ranks"] == [3, 1]
    assert all("src=" in tag or "application/json" in tag for tag in re.findall(r"<script[^>]*>", html))  # no inline JS
    older = client.get(f"/boards/branch/{branch.pk}/?quarter=2031Q1").content.decode()
    assert "2031年第1季度总分" in older


def test_the_announcement_is_ready_to_read_out(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    client.force_login(demo.users["shuji"])
    text = client.get("/boards/2019Q1/announcement/").content.decode()
    assert "关于2019年第1季度基层党组织差异化考评结果的通报" in text
    assert (
        "Ⅰ类：白银变电运检中心党支部（98.60分）；Ⅱ类：电力调度中心党总支部（98.40分）；Ⅲ类：财务部党支部（97.50分）"
        in text
    )
    assert (
        "Ⅰ类：平川区供电公司党总支（84.30分）；Ⅱ类：鸿运物业分公司党支部（83.60分）；Ⅲ类：营销部党支部（86.70分）"
        in text
    )
    assert "财务部党支部不加扣分" in text and "营销部党支部扣0.5分" in text and "白银变电运检中心党支部加1.5分" in text
    assert "对32个党（总）支部开展了交叉互查" in text


def test_the_rules_page_explains_the_computation_in_chinese(client, secretary_user):
    client.force_login(secretary_user)
    html = client.get("/boards/rules/").content.decode()
    for phrase in (
        "取各检查组得分的平均值",
        "精确到 0.01 分",
        "排名按四舍五入后的总分进行",
        "1、2、2、4",
        "不设红蓝榜",
        "写明原因",
    ):
        assert phrase in html
    assert re.search(r"Ⅲ类</td><td class=\"num\">0.00</td><td class=\"num\">−0.50", html)
    assert "修改加扣分标准" not in html
