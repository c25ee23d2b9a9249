"""The four reports: reopened with openpyxl and checked cell by cell against the database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from baiyin_eval.xlsx import BLUE_FILL, RED_FILL
from boards.models import BoardEntry
from boards.ranking import indicator_score, round_cent
from boards.selectors import board_compute, board_inputs
from branches.models import Branch
from reports.exports import ReportUnavailable, build_report, scores_report
from reports.services import report_write
from scoring.selectors import scheme_for_category
from tests.helpers import board_compute_queries
from tests.reports.helpers import dec, publish, reopen

pytestmark = pytest.mark.django_db


def write(kind, quarter, tmp_path):
    path = tmp_path / f"{kind}.xlsx"
    report_write(kind=kind, quarter=quarter, destination=path)
    return reopen(path)


def fill_colour(cell) -> str:
    return cell.fill.fgColor.rgb[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


RED = RED_FILL.fgColor.rgb[-6:]
BLUE = BLUE_FILL.fgColor.rgb[-6:]


def assert_house_style(ws, quarter, header_count):
    title = ws["A1"].value
    assert settings.COMPANY_NAME in title
    assert quarter.label in title
    assert timezone.localdate().isoformat() in title
    assert ws.freeze_panes.endswith("3")  # title and header rows stay put
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"
    assert ws.max_column == header_count
    for letter in ("A", "B"):
        assert ws.column_dimensions[letter].width >= 6


def test_the_score_detail_has_a_sheet_per_category_matching_the_live_board(demo, tmp_path):
    quarter = demo.quarter
    wb = write("scores", quarter, tmp_path)
    assert wb.sheetnames == ["Ⅰ类", "Ⅱ类", "Ⅲ类"]
    inputs = {i.branch_id: i for i in board_inputs(quarter)}
    for category, ws in zip(board_compute(quarter), wb.worksheets, strict=True):
        indicators = scheme_for_category(quarter, category.category)
        headers = [c.value for c in ws[2]]
        assert headers[:2] == ["名次", "组织名称"]
        assert headers[2:-4] == [f"{i.name}（{i.max_score}）" for i in indicators]
        assert headers[-4:] == ["指标得分", "贡献度积分", "总分", "榜单"]
        assert_house_style(ws, quarter, len(headers))
        assert ws.freeze_panes == "C3"
        rows = list(ws.iter_rows(min_row=3))
        results = [*category.ranking, *category.unscored, *category.excluded]
        assert len(rows) == len(results) == Branch.objects.filter(category=category.category, is_active=True).count()
        for row, result in zip(rows, results, strict=True):
            assert row[0].value == result.rank
            assert row[1].value == result.name
            for cell, indicator in zip(row[2:-4], indicators, strict=True):
                expected = indicator_score(inputs[result.branch_id].scores.get(indicator.id, ()))
                assert dec(cell.value) == round_cent(expected)
                assert cell.number_format == "0.00"
            assert dec(row[-4].value) == result.indicator_total
            assert dec(row[-3].value) == result.contribution
            assert dec(row[-2].value) == result.total
            assert row[-2].number_format == "0.00"
            colour = {"red": RED, "blue": BLUE}.get(result.board, "")
            assert row[-1].value == {"red": "红榜", "blue": "蓝榜", "": None}[result.board]
            assert all(fill_colour(c) == colour for c in row)
    # The report's own first and last places.
    first = wb["Ⅰ类"]
    assert first["B3"].value == "白银变电运检中心党支部" and first["A3"].value == 1
    assert first.cell(row=first.max_row, column=2).value == "平川区供电公司党总支"


def test_the_score_detail_lists_unscored_and_excluded_branches_after_the_ranking(demo, tmp_path):
    from boards.models import Exclusion
    from scoring.models import Score

    quarter = demo.quarter
    incomplete = Branch.objects.get(name="城区分公司党支部")
    Score.objects.filter(sheet__branch=incomplete, indicator__code="S1").update(value=None)
    excluded = Branch.objects.get(name="检修分公司党支部")
    Exclusion.objects.create(quarter=quarter, branch=excluded, reason="机构调整")
    ws = write("scores", quarter, tmp_path)["Ⅰ类"]
    last_rows = {r[1].value: r for r in ws.iter_rows(min_row=ws.max_row - 1)}
    assert last_rows["城区分公司党支部"][0].value is None
    assert last_rows["城区分公司党支部"][-1].value == "未完成评分"
    assert last_rows["城区分公司党支部"][2].value is None  # the unscored indicator stays empty
    assert last_rows["检修分公司党支部"][-1].value == "不参加排名：机构调整"


def test_the_board_export_is_the_published_rows_with_their_adjustments(demo, tmp_path):
    quarter = publish(demo.quarter)
    # The export reads the frozen rows (a note added to a row shows), not a recomputation.
    BoardEntry.objects.filter(quarter=quarter, branch__name="财务部党支部").update(note="会上通报")
    wb = write("board", quarter, tmp_path)
    ws = wb["红蓝榜"]
    assert_house_style(ws, quarter, 9)
    assert [c.value for c in ws[2]] == [
        "类别",
        "名次",
        "组织名称",
        "指标得分",
        "贡献度积分",
        "总分",
        "榜单",
        "绩效加扣分",
        "说明",
    ]
    entries = list(BoardEntry.objects.filter(quarter=quarter).select_related("branch"))
    rows = list(ws.iter_rows(min_row=3))
    assert len(rows) == len(entries) == 32
    by_name = {e.branch.name: e for e in entries}
    for row in rows:
        entry = by_name[row[2].value]
        assert row[0].value == entry.get_category_display()
        assert row[1].value == entry.rank
        assert dec(row[3].value) == entry.indicator_total
        assert dec(row[4].value) == entry.contribution
        assert dec(row[5].value) == entry.total
        assert row[6].value == ({"red": "红榜", "blue": "蓝榜"}.get(entry.board))
        assert dec(row[7].value) == (entry.adjustment if entry.board else None)
        assert row[8].value == (entry.note or None)
        assert fill_colour(row[2]) == {"red": RED, "blue": BLUE}.get(entry.board, "")
    reds = [r[2].value for r in rows if r[6].value == "红榜"]
    blues = [r[2].value for r in rows if r[6].value == "蓝榜"]
    assert reds == ["白银变电运检中心党支部", "电力调度中心党总支部", "财务部党支部"]
    assert blues == ["平川区供电公司党总支", "鸿运物业分公司党支部", "营销部党支部"]
    # Rows in category order, ranks ascending within each category.
    keys = [(r[0].value, r[1].value) for r in rows]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1] or 10**6))


def test_the_adjustments_export_lists_red_and_blue_branches_for_hr(demo, tmp_path):
    quarter = publish(demo.quarter)
    ws = write("adjustments", quarter, tmp_path)["绩效加扣分"]
    assert_house_style(ws, quarter, 6)
    assert [c.value for c in ws[2]] == ["组织名称", "所属单位", "类别", "季度", "榜单", "绩效加扣分"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    entries = BoardEntry.objects.filter(quarter=quarter).exclude(board="").select_related("branch__unit")
    expected = sorted(
        [
            [e.branch.name, e.branch.unit.name, e.get_category_display(), "2019Q1", e.get_board_display(), e.adjustment]
            for e in entries
        ]
    )
    assert sorted([*r[:5], dec(r[5])] for r in rows) == expected
    points = {r[0]: dec(r[5]) for r in rows}
    # The report's table: ±1.5 in Ⅰ and Ⅱ, −0.5 for the Ⅲ blue branch, nothing for the Ⅲ red one.
    assert points["平川区供电公司党总支"] == Decimal("-1.50")
    assert points["电力调度中心党总支部"] == Decimal("1.50")
    assert points["营销部党支部"] == Decimal("-0.50")
    assert points["财务部党支部"] == Decimal("0.00")
    assert ws["F3"].number_format == "0.00"


def test_the_board_reports_wait_for_publication(demo, tmp_path):
    for kind in ("board", "adjustments"):
        with pytest.raises(ReportUnavailable, match="尚未发布"):
            report_write(kind=kind, quarter=demo.quarter, destination=tmp_path / f"{kind}.xlsx")
        assert not (tmp_path / f"{kind}.xlsx").exists()


def test_the_rectification_export_lists_every_item_and_marks_the_overdue(demo, tmp_path):
    from interviews.models import Interview, ItemStatus, RectificationItem

    quarter = publish(demo.quarter)
    branch = Branch.objects.get(name="平川区供电公司党总支")
    interview = Interview.objects.create(quarter=quarter, branch=branch)
    today = timezone.localdate()
    overdue = RectificationItem.objects.create(
        interview=interview,
        description="下设支部补选委员流程不规范",
        measure='=HYPERLINK("http://evil")',
        deadline=today - timedelta(days=3),
        responsible="李强",
        status=ItemStatus.IN_PROGRESS,
        position=1,
    )
    done = RectificationItem.objects.create(
        interview=interview,
        description="“三会一课”落实不到位",
        measure="制定年度计划，按月检查",
        deadline=today - timedelta(days=3),
        responsible="王芳",
        status=ItemStatus.ACCEPTED,
        progress="已完成",
        position=2,
    )
    ws = write("rectification", quarter, tmp_path)["整改进度"]
    assert_house_style(ws, quarter, 9)
    rows = list(ws.iter_rows(min_row=3))
    assert len(rows) == 2
    first, second = rows
    assert [c.value for c in first[:8]] == [
        1,
        branch.name,
        overdue.description,
        overdue.measure,
        overdue.deadline.isoformat(),
        "李强",
        "整改中",
        "是",
    ]
    assert first[3].data_type == "s" and first[3].quotePrefix  # text, never a formula
    assert fill_colour(first[0]) == RED
    assert [c.value for c in second[:8]] == [
        2,
        branch.name,
        done.description,
        done.measure,
        done.deadline.isoformat(),
        "王芳",
        "已验收",
        "否",
    ]
    assert second[8].value == "已完成"
    assert fill_colour(second[0]) == ""


@pytest.mark.parametrize("text", ["=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", '=HYPERLINK("http://x","点我")'])
def test_text_that_excel_would_run_is_written_as_text(demo, tmp_path, text):
    Branch.objects.filter(name="营销部党支部").update(name=text)
    ws = write("scores", demo.quarter, tmp_path)["Ⅲ类"]
    cell = next(r[1] for r in ws.iter_rows(min_row=3) if r[1].value == text)
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    # and in the raw XML it is a string cell, with no <f> element anywhere
    import zipfile

    with zipfile.ZipFile(tmp_path / "scores.xlsx") as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_ordinary_text_and_numbers_are_left_alone(demo, tmp_path):
    ws = write("scores", demo.quarter, tmp_path)["Ⅰ类"]
    assert ws["B3"].quotePrefix is False
    assert ws["A3"].data_type == "n"


def test_building_the_score_detail_takes_a_fixed_number_of_queries(demo, django_assert_num_queries, tmp_path):
    # the scheme of each category (3), the number of branches (the progress bar's total), whether
    # the quarter has deductions for the 扣分明细 sheet (it has none here); then each category's live
    # board when its sheet is written (board_compute of one category, 3 ×), and each category's indicator scores, one query
    # per SCORES_CHUNK (1,000) branches (3): a category at a time, so memory stays flat at 50,000;
    # and, once, the quarter's evaluating unit (whose adjustment table applies, issue 17).
    with django_assert_num_queries(3 + 1 + 1 + 3 * board_compute_queries() + 3 + 1):
        spec = scores_report(demo.quarter)
        rows = [row for sheet in spec.sheets for row in sheet.rows]
    assert len(rows) == 32


def test_building_the_published_reports_takes_a_fixed_number_of_queries(demo, django_assert_num_queries):
    quarter = publish(demo.quarter)
    # board: its rows, each carrying the row count (a window); adjustments: the red and blue rows;
    # rectification: the items (none: the follow-ups did not run), so no published names to look up
    for kind in ("board", "adjustments", "rectification"):
        with django_assert_num_queries(1):
            spec = build_report(kind, quarter)
            for sheet in spec.sheets:
                list(sheet.rows)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_failed_save_leaves_no_file_and_no_temporary_file(demo, tmp_path, monkeypatch):
    from openpyxl.workbook.workbook import Workbook

    def broken_save(self, filename):
        with open(filename, "wb") as f:
            f.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError):
        report_write(kind="scores", quarter=demo.quarter, destination=tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []
    import gc

    gc.collect()  # the abandoned write-only workbook complains while being collected: here, not later


def test_the_command_writes_each_report(demo, tmp_path):
    publish(demo.quarter)
    for kind in ("scores", "board", "adjustments", "rectification"):
        path = tmp_path / f"{kind}.xlsx"
        call_command("export_report", kind, "--quarter", "2019Q1", str(path), verbosity=0)
        assert reopen(path).worksheets[0]["A1"].value.startswith(settings.COMPANY_NAME)


def test_the_command_explains_an_unknown_quarter_and_an_unpublished_board(demo, tmp_path):
    with pytest.raises(CommandError, match="2017Q4"):
        call_command("export_report", "scores", "--quarter", "2017Q4", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="尚未发布"):
        call_command("export_report", "board", "--quarter", "2019Q1", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_the_rectification_export_covers_every_item_the_publication_created(demo, tmp_path):
    from interviews.models import RectificationItem
    from interviews.services import interviews_create_for_quarter

    quarter = publish(demo.quarter)
    interviews_create_for_quarter(quarter=quarter)
    items = list(
        RectificationItem.objects.filter(interview__quarter=quarter)
        .select_related("interview__branch")
        .order_by("interview__branch__category", "interview__branch__name", "position", "id")
    )
    assert len(items) == 9  # the problems of the three blue-board branches
    ws = write("rectification", quarter, tmp_path)["整改进度"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert [(r[1], r[2], r[6]) for r in rows] == [
        (i.interview.branch.name, i.description, i.get_status_display()) for i in items
    ]
    assert {r[7] for r in rows} == {"否"}  # no deadlines yet, so nothing overdue


def test_an_export_job_reports_progress_as_it_writes(demo, reports_root, monkeypatch):
    from reports import services
    from reports.models import ExportJob

    monkeypatch.setattr(services, "PROGRESS_STEP", 8)
    seen = []
    real_set = services._set

    def spy(job_id, **fields):
        if "progress" in fields:
            seen.append(fields["progress"])
        real_set(job_id, **fields)

    monkeypatch.setattr(services, "_set", spy)
    job = ExportJob.objects.create(kind="scores", quarter=demo.quarter, requested_by=demo.users["admin"])
    job = services.export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE
    assert seen == [0, 25, 50, 75, 99, 100]  # 32 rows, a write every 8, capped below 100 until the file is in place


def test_an_export_job_that_crashes_is_marked_failed_with_a_plain_message(demo, reports_root, monkeypatch):
    from reports import services
    from reports.models import ExportJob

    def crash(**kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(services, "report_write", crash)
    job = ExportJob.objects.create(kind="scores", quarter=demo.quarter, requested_by=demo.users["admin"])
    job = services.export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "生成报表时出现错误，请稍后重试或联系系统管理员。"  # no internals shown
    assert job.file_name == "" and job.finished_at is not None


def test_old_export_jobs_and_their_files_are_pruned(demo, reports_root, capsys):
    from reports.models import ExportJob
    from reports.services import export_job_run

    old = ExportJob.objects.create(kind="scores", quarter=demo.quarter, requested_by=demo.users["admin"])
    old = export_job_run(job_id=old.pk)
    recent = ExportJob.objects.create(kind="scores", quarter=demo.quarter, requested_by=demo.users["admin"])
    recent = export_job_run(job_id=recent.pk)
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    old_path = reports_root / old.file_name
    assert old_path.is_file()
    call_command("prune_exports", "--days", "7")
    assert "已删除 1 个导出任务" in capsys.readouterr().out
    assert not old_path.exists() and (reports_root / recent.file_name).exists()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
