"""Guidance to climb: the gaps and the weakest indicators against hand-computed values."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from boards.guidance import IndicatorGap, Ranked, climb_guidance
from boards.services import quarter_publish
from branches.models import Branch

RANKING = [
    Ranked(1, "甲", D("98.60"), 1),
    Ranked(2, "乙", D("96.50"), 2),
    Ranked(3, "丙", D("96.50"), 2),
    Ranked(4, "丁", D("90.25"), 4),
    Ranked(5, "戊", D("84.30"), 5),
]
LINES = [
    IndicatorGap("S1", "组织建设", D("12"), D("9.50"), D("10.80"), ("补选委员流程不规范",)),
    IndicatorGap("S2", "组织生活", D("12"), D("10.00"), D("10.60"), ("三会一课落实不到位", "记录不全")),
    IndicatorGap("S3", "党员管理", D("12"), D("11.20"), D("10.90")),
    IndicatorGap("A1", "机制创新", D("10"), D("7.00"), D("8.75")),
    IndicatorGap("A2", "载体创新", D("10"), D("8.40"), D("8.50")),
]


def test_the_last_place_sees_the_gap_to_the_next_place_the_red_and_what_it_takes_to_leave_the_blue():
    g = climb_guidance(own_id=5, ranking=RANKING, lines=LINES)
    assert (g.rank, g.ranked, g.total) == (5, 5, D("84.30"))
    assert g.above == ["丁"] and g.to_above == D("5.95")  # 90.25 − 84.30
    assert g.to_red == D("14.30")  # 98.60 − 84.30
    assert g.to_leave_blue == D("5.96")  # pass 90.25: one hundredth more than drawing level
    assert g.above_blue is None and g.is_last


def test_the_weakest_indicators_are_those_most_below_the_category_mean_with_their_problems():
    g = climb_guidance(own_id=5, ranking=RANKING, lines=LINES)
    assert [(w.code, w.gap) for w in g.weakest] == [("A1", D("-1.75")), ("S1", D("-1.30")), ("S2", D("-0.60"))]
    assert g.weakest[1].problems == ("补选委员流程不规范",)
    assert g.weakest[2].problems == ("三会一课落实不到位", "记录不全")


def test_a_branch_tied_below_the_first_sees_the_first_as_the_next_place_and_its_margin_over_the_blue():
    g = climb_guidance(own_id=3, ranking=RANKING, lines=[])
    assert g.above == ["甲"] and g.to_above == D("2.10") and g.to_red == D("2.10")
    assert g.above_blue == D("12.20")  # 96.50 − 84.30
    assert g.weakest == []


def test_the_first_sees_its_lead():
    g = climb_guidance(own_id=1, ranking=RANKING, lines=LINES)
    assert g.is_first and g.lead == D("2.10") and g.to_red is None and g.above == []


def test_an_unranked_branch_gets_no_guidance():
    assert climb_guidance(own_id=99, ranking=RANKING, lines=LINES) is None


@pytest.mark.django_db
def test_the_blue_board_secretary_sees_the_guidance_on_the_branch_page(client, demo, django_assert_max_num_queries):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    branch = Branch.objects.get(name="平川区供电公司党总支")
    client.force_login(demo.users["shuji"])
    url = reverse("boards:branch", args=[branch.pk]) + "?quarter=2019Q1"
    html = client.get(url).content.decode()
    assert "晋位指引" in html
    # Category Ⅰ of the demo: 景泰 88.90 is the next place up; 平川 84.30; the first is 98.60.
    assert "距上一名（景泰县供电公司党总支）差 4.60 分" in html
    assert "距红榜（本类第一名）差 14.30 分" in html
    assert "总分至少再高 4.61 分，才能离开蓝榜" in html
    section = html[html.index("晋位指引") : html.index("各项指标得分与本类平均")]
    # Its weakest indicators (S4, S5, S1 in the demo), each pointing at the problems found there in
    # the problem list below: 1 下设支部补选委员流程不规范 (S1), 3 党建信息系统录入不及时 (S4).
    assert section.index("S4 信息台账标准化") < section.index("S5 活动阵地标准化") < section.index("S1 组织建设标准化")
    assert "检查发现问题 1 项，见下方“检查发现的问题”第 3 条" in section
    assert "检查发现问题 1 项，见下方“检查发现的问题”第 1 条" in section
    listed = html[html.index("检查发现的问题</h2>") :]
    assert listed.index("下设支部补选委员流程不规范") < listed.index("党建信息系统录入不及时")


@pytest.mark.django_db
def test_others_see_the_gaps_but_not_the_problems(client, demo):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    branch = Branch.objects.get(name="平川区供电公司党总支")
    client.force_login(demo.users["jiancha1"])
    html = client.get(reverse("boards:branch", args=[branch.pk]) + "?quarter=2019Q1").content.decode()
    assert "晋位指引" in html and "差 4.60 分" in html
    assert "下设支部补选委员流程不规范" not in html and "检查发现问题" not in html


@pytest.mark.django_db
def test_no_guidance_on_an_unpublished_preview(client, demo):
    branch = Branch.objects.get(name="平川区供电公司党总支")
    client.force_login(demo.users["dangjian"])
    html = client.get(reverse("boards:branch", args=[branch.pk]) + "?quarter=2019Q1").content.decode()
    assert "晋位指引" not in html
