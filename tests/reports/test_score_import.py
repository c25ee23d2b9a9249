"""The offline score template and its import: template → filled → imported → board."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from boards.selectors import board_compute
from branches.models import Branch
from reports.exports import score_template
from reports.imports import ImportRejected, scores_import
from scoring.models import InspectionGroup, Quarter, Score, ScoreChange, ScoreSheet
from scoring.selectors import scheme_for_category
from scoring.services import quarter_create, quarter_transition
from tests.reports.helpers import workbook_bytes

pytestmark = pytest.mark.django_db


def template(quarter, group=None):
    """The template as a normal (editable) openpyxl workbook, as someone would open it in Excel."""
    return load_workbook(workbook_bytes(score_template(quarter, group)))


def fill(wb, value_for):
    """Fill every score cell with value_for(branch name, indicator column index, maximum)."""
    for ws in wb.worksheets:
        maxima = [c.value for c in ws[2]][1:]
        for row in ws.iter_rows(min_row=3):
            for index, maximum in enumerate(maxima, start=1):
                row[index].value = value_for(row[0].value, index, maximum)
    return wb


def snapshot():
    return (
        sorted(Score.objects.values_list("sheet_id", "indicator_id", "value")),
        sorted(ScoreSheet.objects.values_list("id", "branch_id", "group_id", "version")),
        ScoreChange.objects.count(),
    )


@pytest.fixture
def offline_quarter(demo):
    """A quarter scored outside the portal: scoring, no groups, no sheets."""
    quarter = quarter_create(code="2019Q2")
    return quarter_transition(quarter=quarter, to=Quarter.Status.SCORING)


def test_the_template_has_a_sheet_per_category_with_headers_maxima_and_branch_names(offline_quarter):
    wb = template(offline_quarter)
    assert wb.sheetnames == ["Ⅰ类", "Ⅱ类", "Ⅲ类"]
    for category, ws in zip("123", wb.worksheets, strict=True):
        indicators = scheme_for_category(offline_quarter, category)
        assert [c.value for c in ws[1]] == ["组织名称", *[i.name for i in indicators]]
        assert ws["A2"].value == "满分"
        assert [Decimal(str(c.value)) for c in ws[2][1:]] == [i.max_score for i in indicators]
        # Excel and WPS check the range as people type; the import checks again anyway.
        rules = {str(dv.sqref): (dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
        assert rules[f"B3:B{ws.max_row}"] == ("0", str(indicators[0].max_score))
        names = [r[0].value for r in ws.iter_rows(min_row=3)]
        assert names == list(
            Branch.objects.filter(category=category, is_active=True).order_by("name").values_list("name", flat=True)
        )
        assert all(c.value is None for r in ws.iter_rows(min_row=3) for c in r[1:])
        assert ws.freeze_panes == "B3"


def test_a_group_template_lists_only_the_groups_branches(demo):
    group = InspectionGroup.objects.get(quarter=demo.quarter, name="第二检查组")
    wb = template(demo.quarter, group)
    assigned = set(ScoreSheet.objects.filter(group=group).values_list("branch__name", flat=True))
    listed = {r[0].value for ws in wb.worksheets for r in ws.iter_rows(min_row=3)}
    assert listed == assigned and assigned


def test_the_round_trip_template_filled_imported_gives_the_board(offline_quarter):
    # Each branch's scores: every indicator at its maximum minus a per-branch step, so totals differ.
    names = sorted(Branch.objects.filter(is_active=True).values_list("name", flat=True))
    step = {name: Decimal(n % 7) / 10 for n, name in enumerate(names)}

    def value(name, index, maximum):
        return float(Decimal(str(maximum)) - step[name]) if index > 1 else maximum

    filled = fill(template(offline_quarter), value)
    # Submitted, so that the board counts them (without --submit imported sheets are drafts).
    result = scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(filled), submit=True)
    assert result.sheets == 32 and len(result.submitted) == 32
    # Recorded as 党建部's own scores: one sheet per branch, no group.
    assert ScoreSheet.objects.filter(quarter=offline_quarter, group=None).count() == 32
    assert not ScoreSheet.objects.filter(quarter=offline_quarter, group__isnull=False).exists()

    board = board_compute(offline_quarter)
    for category in board:
        assert not category.unscored
        indicators = scheme_for_category(offline_quarter, category.category)
        full = sum((i.max_score for i in indicators), Decimal("0"))
        for r in category.ranking:
            penalty = step[r.name] * (len(indicators) - 1)
            assert r.indicator_total == full - penalty
        best = min(step[r.name] for r in category.ranking)
        worst = max(step[r.name] for r in category.ranking)
        assert {r.name for r in category.red} == {r.name for r in category.ranking if step[r.name] == best}
        assert {r.name for r in category.blue} == {r.name for r in category.ranking if step[r.name] == worst}


def test_importing_again_replaces_filled_cells_and_leaves_empty_ones(offline_quarter):
    filled = fill(template(offline_quarter), lambda name, index, maximum: 5)
    scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(filled))
    sheets_before = ScoreSheet.objects.count()
    # Second file: only the first indicator of the first Ⅰ类 row filled, with a new value.
    second = template(offline_quarter)
    ws = second["Ⅰ类"]
    ws["B3"] = 3.5
    name, indicator_name = ws["A3"].value, ws["B1"].value
    result = scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(second))
    assert (result.sheets, result.values, result.changes) == (1, 1, 1)
    assert ScoreSheet.objects.count() == sheets_before
    changed = Score.objects.get(
        sheet__branch__name=name, indicator__name=indicator_name, sheet__quarter=offline_quarter
    )
    assert changed.value == Decimal("3.5")
    others = Score.objects.filter(sheet__quarter=offline_quarter).exclude(pk=changed.pk)
    assert set(others.values_list("value", flat=True)) == {Decimal("5")}
    # The change is in the sheet's history, as a browser edit would be.
    change = ScoreChange.objects.get(sheet=changed.sheet, indicator=changed.indicator, new="3.5")
    assert change.old == "5.0"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(offline_quarter):
    filled = workbook_bytes(fill(template(offline_quarter), lambda name, index, maximum: 4.5))
    scores_import(quarter=offline_quarter, group=None, source=filled)
    before = snapshot()
    result = scores_import(quarter=offline_quarter, group=None, source=filled)
    assert result.changes == 0
    assert snapshot() == before


def test_a_group_import_fills_the_groups_own_sheets(demo):
    quarter = demo.quarter
    group = InspectionGroup.objects.get(quarter=quarter, name="第一检查组")
    ScoreSheet.objects.filter(group=group).update(status=ScoreSheet.Status.DRAFT)
    wb = template(quarter, group)
    wb["Ⅰ类"]["B3"] = 1
    branch_name = wb["Ⅰ类"]["A3"].value
    scores_import(quarter=quarter, group=group, source=workbook_bytes(wb))
    score = Score.objects.get(
        sheet__group=group, sheet__branch__name=branch_name, indicator__name=wb["Ⅰ类"]["B1"].value
    )
    assert score.value == Decimal("1")
    assert not ScoreSheet.objects.filter(quarter=quarter, group=None).exists()


# --- rejections: every problem listed, nothing written ---------------------------------------------


def rejected(quarter, wb_or_bytes, group=None):
    before = snapshot()
    source = wb_or_bytes if isinstance(wb_or_bytes, io.BytesIO) else workbook_bytes(wb_or_bytes)
    with pytest.raises(ImportRejected) as info:
        scores_import(quarter=quarter, group=group, source=source)
    assert snapshot() == before, "a rejected file must write nothing"
    return info.value.issues


def test_one_bad_cell_rejects_the_whole_file_and_every_problem_is_listed(offline_quarter):
    wb = fill(template(offline_quarter), lambda name, index, maximum: 1)
    ws = wb["Ⅱ类"]
    first_indicator = ws["B1"].value
    ws["B3"] = 999  # over the maximum
    ws["C4"] = -1  # negative
    ws["D5"] = 1.25  # two decimals
    ws["E6"] = "优秀"  # not a number
    ws["B7"] = "=1+1"  # a formula
    wb["Ⅲ类"]["A3"] = "不存在的支部"
    issues = rejected(offline_quarter, wb)
    found = {(i.sheet, i.row, i.column.split("（")[0]): i.message for i in issues}
    assert found[("Ⅱ类", 3, "B")] == f"得分不能超过本项满分 {Decimal(str(ws['B2'].value)).normalize()} 分。"
    assert found[("Ⅱ类", 4, "C")] == "得分不能小于 0。"
    assert found[("Ⅱ类", 5, "D")] == "得分最多保留一位小数。"
    assert "不是数字" in found[("Ⅱ类", 6, "E")]
    assert "公式" in found[("Ⅱ类", 7, "B")]
    assert found[("Ⅲ类", 3, "A")] == "党组织“不存在的支部”不存在。"
    assert len(issues) == 6
    assert any(i.column == f"B（{first_indicator}）" for i in issues)
    # Rendered for people: sheet, row, column, why.
    assert str(issues[0]).startswith("工作表“Ⅱ类” 第 3 行 B（")


def test_numbers_typed_as_text_are_accepted_like_the_browser_form(offline_quarter):
    wb = template(offline_quarter)
    wb["Ⅰ类"]["B3"] = " 8.5 "
    scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(wb))
    assert Score.objects.get(sheet__quarter=offline_quarter).value == Decimal("8.5")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda wb: setattr(wb["Ⅰ类"], "title", "Sheet1"), "工作表名称不正确"),
        (lambda wb: wb["Ⅰ类"].cell(row=1, column=2, value="改过的指标"), "表头与本季度的考核指标不一致"),
        (lambda wb: wb["Ⅰ类"].cell(row=2, column=2, value=99), "满分应为"),
        (lambda wb: wb["Ⅰ类"].cell(row=2, column=1, value="分数"), "满分"),
        (lambda wb: wb["Ⅰ类"].merge_cells("B3:C3"), "合并单元格"),
        (lambda wb: wb["Ⅰ类"].cell(row=3, column=1, value="财务部党支部"), "属于Ⅲ类"),
        (lambda wb: wb["Ⅰ类"].cell(row=4, column=1, value=wb["Ⅰ类"]["A3"].value), "重复出现"),
        (lambda wb: wb["Ⅰ类"].cell(row=3, column=40, value=5), "多余的内容"),
        (lambda wb: wb["Ⅰ类"].cell(row=40, column=2, value=5), "没有组织名称"),
    ],
)
def test_structural_problems_are_refused(offline_quarter, mutate, expected):
    wb = fill(template(offline_quarter), lambda name, index, maximum: 1)
    mutate(wb)
    issues = rejected(offline_quarter, wb)
    assert any(expected in i.message for i in issues), [str(i) for i in issues]


def test_a_quarter_not_being_scored_refuses_imports(demo):
    quarter = quarter_create(code="2019Q3")  # still being prepared
    issues = rejected(quarter, fill(template(quarter), lambda *a: 1))
    assert "只有“评分中”才能导入评分" in issues[0].message


def test_a_group_may_only_import_its_own_branches(demo):
    quarter = demo.quarter
    group = InspectionGroup.objects.get(quarter=quarter, name="第一检查组")
    ScoreSheet.objects.update(status=ScoreSheet.Status.DRAFT)
    wb = template(quarter, group)
    wb["Ⅱ类"]["A3"] = "客户服务中心党支部"  # a Ⅱ类 branch: the second group's
    wb["Ⅱ类"]["B3"] = 1
    issues = rejected(quarter, wb, group)
    assert issues[0].message == "“客户服务中心党支部”未分配给第一检查组。"


def test_a_submitted_sheet_is_read_only_for_imports_as_in_the_browser(demo):
    quarter = demo.quarter
    group = InspectionGroup.objects.get(quarter=quarter, name="第一检查组")
    ScoreSheet.objects.filter(group=group).update(status=ScoreSheet.Status.SUBMITTED)
    wb = template(quarter, group)
    wb["Ⅰ类"]["B3"] = 1
    issues = rejected(quarter, wb, group)
    assert "已提交" in issues[0].message


def test_an_empty_template_is_refused(offline_quarter):
    issues = rejected(offline_quarter, template(offline_quarter))
    assert issues[0].message == "文件中没有填写任何得分。"


# --- commands -------------------------------------------------------------------------------------


def test_the_commands_export_a_template_and_import_it(offline_quarter, tmp_path, capsys):
    path = tmp_path / "template.xlsx"
    call_command("export_score_template", "--quarter", "2019Q2", str(path))
    wb = fill(load_workbook(path), lambda name, index, maximum: 2)
    wb.save(path)
    call_command("import_scores", "--quarter", "2019Q2", str(path))
    assert "导入成功：32 个党组织" in capsys.readouterr().out
    assert ScoreSheet.objects.filter(quarter=offline_quarter, group=None).count() == 32


def test_the_import_command_lists_every_problem_and_fails(offline_quarter, tmp_path, capsys):
    wb = template(offline_quarter)
    wb["Ⅰ类"]["B3"] = 999
    wb["Ⅰ类"]["C3"] = "x"
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    before = snapshot()
    with pytest.raises(CommandError, match="发现 2 个问题"):
        call_command("import_scores", "--quarter", "2019Q2", str(path))
    err = capsys.readouterr().err
    assert "第 3 行 B（" in err and "第 3 行 C（" in err
    assert snapshot() == before


def test_the_import_command_names_the_groups_when_one_is_unknown(demo, tmp_path):
    with pytest.raises(CommandError, match="第一检查组"):
        call_command("import_scores", "--quarter", "2019Q1", "--group", "第九检查组", str(tmp_path / "x.xlsx"))


def test_reading_a_filled_template_takes_a_fixed_number_of_queries(offline_quarter, django_assert_num_queries):
    from reports.imports import scores_read

    source = workbook_bytes(fill(template(offline_quarter), lambda *a: 1))
    # indicators, active branches — whatever the number of rows
    with django_assert_num_queries(2):
        values = scores_read(quarter=offline_quarter, group=None, source=source)
    assert len(values) == 32
