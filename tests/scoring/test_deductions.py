"""Scoring by deduction (扣分标准): from the problem recorded against a deduction item to the
proposed score, the override rule, and every place the deduction is shown."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scoring.deductions import Rule, proposed_score, total_deduction
from scoring.models import DeductionItem, Problem, Score, ScoreChange
from scoring.services import OverrideNeedsNote, ProblemEntry, sheet_save
from tests.scoring.helpers import sheet_post

D = Decimal


class TestRules:
    def test_a_per_occurrence_rule_multiplies_and_stops_at_its_cap(self):
        rule = Rule(points=D("0.5"), per_occurrence=True, cap=D("3"))
        assert [rule.deduct(n) for n in (0, 1, 4, 6, 9)] == [D("0"), D("0.5"), D("2.0"), D("3.0"), D("3")]

    def test_a_once_rule_deducts_once_however_many_were_found(self):
        rule = Rule(points=D("2"), per_occurrence=False)
        assert rule.deduct(1) == rule.deduct(5) == D("2")

    def test_the_cap_holds_across_problems_of_the_same_rule(self):
        rules = {1: Rule(points=D("2"), cap=D("6")), 2: Rule(points=D("0.5"))}
        assert total_deduction(rules, [(1, 2), (1, 2), (2, 3)]) == D("6") + D("1.5")

    def test_unknown_rules_deduct_nothing(self):
        assert total_deduction({}, [(7, 3)]) == D("0")

    def test_the_proposed_score_never_goes_below_zero(self):
        assert proposed_score(D("12"), D("4.5")) == D("7.5")
        assert proposed_score(D("5"), D("8")) == D("0")


@pytest.fixture
def s2(world):
    """S2 组织生活标准化 (12): “三会一课”未按期开展 2 per occurrence, at most 6; 会议记录不完整 0.5, at most 3."""
    indicator = next(i for i in world.indicators if i.code == "S2")
    items = {d.description: d for d in indicator.deductions.all()}
    return indicator, items["“三会一课”未按期开展"], items["会议记录不完整"]


def problem_rows(index, choice, description="", count="1"):
    return {
        f"problem-{index}-indicator": choice,
        f"problem-{index}-description": description,
        f"problem-{index}-count": count,
    }


def post(client, world, values, *, notes=None, problems=(), **extra):
    data = sheet_post(world.sheet, world.indicators, values=values, notes=notes, **extra)
    data["problem-TOTAL_FORMS"] = str(len(problems))
    for n, row in enumerate(problems):
        data.update(problem_rows(n, *row))
    return client.post(f"/scoring/sheets/{world.sheet.pk}/save/", data)


class TestOnTheSheet:
    def test_the_sheet_offers_the_deduction_items_and_shows_the_rules(self, client, world, s2):
        indicator, meetings, _ = s2
        client.force_login(world.alice)
        page = client.get(f"/scoring/sheets/{world.sheet.pk}/").content.decode()
        assert f'value="{indicator.pk}:{meetings.pk}"' in page
        assert "S2 扣分：“三会一课”未按期开展（每发现一处扣 2 分，最多扣 6 分）" in page
        assert "“三会一课”未按期开展：每发现一处扣 2 分，最多扣 6 分" in page  # under the indicator
        assert "js/deductions.js" in page

    def test_a_problem_against_a_deduction_item_proposes_maximum_minus_deductions(self, client, world, s2):
        indicator, meetings, records = s2
        client.force_login(world.alice)
        response = post(
            client,
            world,
            {"S2": "7.5"},
            problems=[(f"{indicator.pk}:{meetings.pk}", "", "2"), (f"{indicator.pk}:{records.pk}", "三月支委会无记录")],
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        problems = {p.deduction_id: p for p in Problem.objects.filter(sheet=world.sheet)}
        assert problems[meetings.pk].description == "“三会一课”未按期开展"  # the item's words by default
        assert problems[meetings.pk].count == 2
        assert problems[records.pk].description == "三月支委会无记录"
        assert Score.objects.get(sheet=world.sheet, indicator=indicator).value == D("7.5")
        page = client.get(f"/scoring/sheets/{world.sheet.pk}/")
        shown = next(i for i in page.context["form"].indicators if i.pk == indicator.pk)
        assert (shown.deducted, shown.proposed) == (D("4.5"), D("7.5"))
        html = page.content.decode()
        assert "扣分标准：每发现一处扣 2 分，最多扣 6 分；发现 2 处" in html
        assert f'data-deduction="{meetings.pk}" data-count="2"' in html

    def test_an_override_without_a_note_is_refused_and_saves_nothing(self, client, world, s2):
        indicator, meetings, _ = s2
        client.force_login(world.alice)
        response = post(client, world, {"S2": "11"}, problems=[(f"{indicator.pk}:{meetings.pk}", "", "1")])
        assert response.status_code == 400
        assert "“组织生活标准化”（建议 10.0 分）" in response.content.decode()
        assert response.context["form"].errors[f"note_{indicator.pk}"] == [
            "得分与建议得分 10.0 分不同，请在此说明理由。"
        ]
        assert not Problem.objects.filter(sheet=world.sheet).exists()
        assert not Score.objects.filter(sheet=world.sheet).exists()
        world.sheet.refresh_from_db()
        assert world.sheet.version == 1

    def test_an_override_with_a_note_is_kept(self, client, world, s2):
        indicator, meetings, _ = s2
        client.force_login(world.alice)
        response = post(
            client,
            world,
            {"S2": "11"},
            notes={"S2": "支部已提供补开会议记录，酌情少扣"},
            problems=[(f"{indicator.pk}:{meetings.pk}", "", "1")],
        )
        assert response.status_code == 302
        assert Score.objects.get(sheet=world.sheet, indicator=indicator).value == D("11")

    def test_the_rule_also_holds_when_the_problem_was_saved_earlier(self, client, world, s2):
        indicator, meetings, _ = s2
        client.force_login(world.alice)
        assert post(client, world, {}, problems=[(f"{indicator.pk}:{meetings.pk}", "", "3")]).status_code == 302
        world.sheet.refresh_from_db()
        response = post(client, world, {"S2": "12"})
        assert response.status_code == 400
        assert Score.objects.filter(sheet=world.sheet, value__isnull=False).count() == 0
        world.sheet.refresh_from_db()
        assert post(client, world, {"S2": "6"}).status_code == 302  # 12 − 6 (three found, capped at 6)

    def test_removing_the_problem_removes_the_proposal(self, client, world, s2):
        indicator, meetings, _ = s2
        client.force_login(world.alice)
        post(client, world, {"S2": "10"}, problems=[(f"{indicator.pk}:{meetings.pk}", "", "1")])
        world.sheet.refresh_from_db()
        problem = Problem.objects.get(sheet=world.sheet)
        assert post(client, world, {"S2": "12"}, remove_problems=[str(problem.pk)]).status_code == 302
        assert Score.objects.get(sheet=world.sheet, indicator=indicator).value == D("12")

    def test_an_indicator_without_deduction_items_is_scored_directly(self, client, world):
        a1 = next(i for i in world.indicators if i.code == "A1")
        assert not a1.deductions.exists()
        client.force_login(world.alice)
        response = post(client, world, {"A1": "6.5"}, problems=[(str(a1.pk), "机制创新缺少制度文件")])
        assert response.status_code == 302
        assert Score.objects.get(sheet=world.sheet, indicator=a1).value == D("6.5")
        assert Problem.objects.get(sheet=world.sheet).deduction is None

    def test_a_problem_against_a_deduction_item_of_another_indicator_is_refused(self, world, s2):
        _, meetings, _ = s2
        s1 = next(i for i in world.indicators if i.code == "S1")
        with pytest.raises(ValidationError, match="扣分标准不属于问题对应的指标"):
            sheet_save(
                sheet=world.sheet,
                actor=world.alice,
                base_version=1,
                entries={},
                add_problems=[ProblemEntry(s1.pk, "错配", meetings.pk, 1)],
            )
        assert not Problem.objects.exists()

    def test_a_once_rule_records_one_occurrence_and_never_goes_below_zero(self, world):
        c = next(i for i in world.indicators if i.code == "A5")  # maximum 6
        big = DeductionItem.objects.create(
            indicator=c, description="品牌宣传造成负面影响", points=D("4"), per_occurrence=False
        )
        more = DeductionItem.objects.create(indicator=c, description="未报送宣传稿件", points=D("1"), cap=None)
        sheet_save(
            sheet=world.sheet,
            actor=world.alice,
            base_version=1,
            entries={},
            add_problems=[ProblemEntry(c.pk, "负面报道", big.pk, 5), ProblemEntry(c.pk, "未报送", more.pk, 4)],
        )
        assert Problem.objects.get(deduction=big).count == 1
        with pytest.raises(OverrideNeedsNote) as refused:
            from scoring.services import ScoreEntry

            sheet_save(sheet=world.sheet, actor=world.alice, base_version=2, entries={c.pk: ScoreEntry(value=D("1"))})
        assert refused.value.proposals == {c.pk: D("0")}  # 6 − (4 + 4) → 0, not −2

    def test_the_history_names_the_rule(self, client, world, s2):
        indicator, meetings, _ = s2
        client.force_login(world.alice)
        post(client, world, {}, problems=[(f"{indicator.pk}:{meetings.pk}", "", "2")])
        change = ScoreChange.objects.get(sheet=world.sheet, field="problem")
        assert change.new == "“三会一课”未按期开展（扣分标准：每发现一处扣 2 分，最多扣 6 分，2 处）"

    def test_a_count_out_of_range_is_explained(self, client, world, s2):
        indicator, meetings, _ = s2
        client.force_login(world.alice)
        response = post(client, world, {}, problems=[(f"{indicator.pk}:{meetings.pk}", "", "0")])
        assert response.status_code == 400
        assert "处数至少为 1。" in response.content.decode()


class TestShownAfterwards:
    @pytest.fixture
    def scored(self, demo):
        """平川区供电公司党总支 (blue in 2019Q1) gets a problem against S2's first deduction item."""
        from scoring.models import ScoreSheet

        sheet = ScoreSheet.objects.filter(quarter=demo.quarter, branch__name="平川区供电公司党总支").first()
        s2 = demo.quarter.indicators.get(code="S2")
        item = s2.deductions.get(description="“三会一课”未按期开展")
        Problem.objects.create(sheet=sheet, indicator=s2, description="二季度党课未开展", deduction=item, count=2)
        Score.objects.filter(sheet=sheet, indicator=s2).update(value=D("0"))  # its weakest line, for the guidance
        return sheet

    def test_the_branch_page_and_its_guidance_show_the_deduction(self, client, demo, scored):
        from tests.reports.helpers import publish

        publish(demo.quarter)
        client.force_login(demo.users["dangjian"])
        page = client.get(f"/boards/branch/{scored.branch_id}/?quarter={demo.quarter.code}").content.decode()
        summary = "“三会一课”未按期开展：扣 4 分（每发现一处扣 2 分，最多扣 6 分；发现 2 处）"
        assert f'<div class="small board-problem-deduction">{summary}</div>' in page  # the problem list
        assert f'<div class="small board-guidance-deductions">按扣分标准：{summary}</div>' in page  # the guidance
        assert "二季度党课未开展" in page

    def test_the_score_detail_export_has_a_deduction_sheet(self, demo, scored, tmp_path):
        from reports.services import report_write
        from tests.reports.helpers import reopen

        path = tmp_path / "scores.xlsx"
        report_write(kind="scores", quarter=demo.quarter, destination=path)
        wb = reopen(path)
        assert "扣分明细" in wb.sheetnames
        ws = wb["扣分明细"]
        header = [c.value for c in ws[2]]
        assert header == ["类别", "组织名称", "检查组", "指标", "扣分标准", "扣分规则", "发现处数", "扣分", "问题描述"]
        row = [c.value for c in ws[3]]
        assert row[:2] == ["Ⅰ类", "平川区供电公司党总支"]
        assert row[3:] == [
            "S2 组织生活标准化",
            "“三会一课”未按期开展",
            "每发现一处扣 2 分，最多扣 6 分",
            2,
            4,
            "二季度党课未开展",
        ]
