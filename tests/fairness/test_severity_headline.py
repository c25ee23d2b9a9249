"""The severity page's headline says in plain Chinese what was compared and what it means for the
board; the statistics are folded below it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from fairness.report import SheetInput
from fairness.selectors import severity_compute
from fairness.statistics import severity_report
from fairness.summary import severity_headline
from tests.fairness.helpers import severity_computed

pytestmark = pytest.mark.django_db

DEMO_COMPARED = (
    "比较了 3 个检查组（第一检查组、第二检查组、第三检查组）在 5 项共同指标（组织建设标准化、组织生活标准化、党员管理标准化、"
    "信息台账标准化、活动阵地标准化）"
    "上的平均得分率；第一检查组只评了Ⅰ类，第二检查组只评了Ⅱ类，第三检查组只评了Ⅲ类；"
    "没有校准党组织（由各组分别评分的同一批党组织）。"
)


def names(quarter):
    from scoring.models import Indicator

    return dict(Indicator.objects.filter(quarter=quarter).values_list("code", "name"))


def test_the_demo_headline_says_what_was_compared_and_that_group_two_cannot_be_told_from_its_category(demo):
    headline = severity_headline(severity_compute(demo.quarter), names(demo.quarter))
    assert headline.compared == DEMO_COMPARED
    assert headline.meaning[0].startswith("第二检查组总体平均得分率比其他检查组低 ")
    assert headline.meaning[0].endswith(
        "个百分点，但它只评了Ⅱ类，而Ⅱ类也只由它评分：分不清这是评分偏严，还是这些党组织本身得分低。"
    )
    assert "要直接衡量宽严，可设置校准党组织" in headline.meaning[1]
    assert headline.meaning[2] == (
        "对红蓝榜的影响：红蓝榜在每个类别内排名，而每个类别都只由一个检查组评分，"
        "同一类别按同一把尺子打分，组间宽严不会改变类别内的名次和红蓝榜结果。"
    )


def test_with_the_calibration_demo_the_headline_counts_the_branches_and_gives_the_direct_evidence(demo):
    call_command("seed_calibration_demo", verbosity=0)
    headline = severity_headline(severity_compute(demo.quarter), names(demo.quarter))
    # the categories are those of the groups' own branches: calibration branches are scored by all
    assert "第一检查组只评了Ⅰ类，第二检查组只评了Ⅱ类，第三检查组只评了Ⅲ类；另有 6 个校准党组织由各组分别评分。" in (
        headline.compared
    )
    direct = [line for line in headline.meaning if "校准党组织上" in line]
    assert len(direct) == 1
    assert re.fullmatch(
        r"在 6 个校准党组织上（同一党组织由各组分别评分），第二检查组的评分平均比各组均值低 \d+\.\d 个百分点，"
        r"超出随机波动：这是第二检查组评分偏严的直接证据。",
        direct[0],
    )
    assert headline.tone == "warning"


def sheet(n, group, category, value, branch=None):
    return SheetInput(
        sheet_id=n,
        branch_id=branch if branch is not None else n,
        branch_name=f"支部{branch if branch is not None else n}",
        category=category,
        group=group,
        scores={"S1": (Decimal(value), Decimal("10"))},
    )


def test_a_category_shared_by_two_groups_is_named_as_exposed_to_their_differences():
    sheets = [sheet(n, "第一检查组", "1", "9.5") for n in range(8)]
    sheets += [sheet(10 + n, "第二检查组", "1", "6.0") for n in range(8)]
    sheets += [sheet(20 + n, "第二检查组", "2", "6.2") for n in range(4)]
    headline = severity_headline(severity_report(sheets, ["S1"]), {"S1": "组织建设"})
    assert "第二检查组评了Ⅰ类、Ⅱ类" in headline.compared
    assert any(
        line.startswith("第二检查组总体平均得分率比其他检查组低")
        and "Ⅰ类还有其他检查组评分，这一差别可能改变类别内的名次" in line
        for line in headline.meaning
    )
    assert (
        "对红蓝榜的影响：Ⅰ类由第一检查组、第二检查组分别评分，组间宽严会直接影响Ⅰ类内的名次和红蓝榜，请结合上面的结论复核。"
        in (headline.meaning)
    )
    assert headline.tone == "warning"


def test_too_few_calibration_branches_are_said_to_be_too_few():
    sheets = [sheet(n, g, c, "8.0") for n, (g, c) in enumerate([("一组", "1")] * 6 + [("二组", "2")] * 6)]
    sheets += [sheet(100 + k, g, "3", "8.0", branch=99) for k, g in enumerate(["一组", "二组"])]
    headline = severity_headline(severity_report(sheets, ["S1"], {99}))
    assert "另有 1 个校准党组织由各组分别评分" in headline.compared
    assert "校准党组织只有 1 个，少于检验所需的 6 个，暂不能据此判断宽严。" in headline.meaning


def test_the_page_leads_with_the_headline_and_folds_the_statistics(client, demo):
    severity_computed(demo.quarter, demo.users["dangjian"])
    client.force_login(demo.users["dangjian"])
    page = client.get(reverse("fairness:severity", args=["2019Q1"])).content.decode()
    assert DEMO_COMPARED in page
    headline_at = page.index("比较了什么：")
    details_at = page.index('<details class="mb-4 fair-statistics">')
    assert headline_at < details_at
    # the tests and p-values are inside the fold, not above it
    for statistic in ("置换检验", "p = ", "校正后 p", "评分明显偏严"):
        assert page.index(statistic) > details_at, statistic
    assert page.index("</details>") > page.index("计算方法与局限")
