"""A score import is a submission only when the importer says so (`--submit`, the 提交 checkbox):
sheets the file completes are submitted, the others stay drafts, each named in the result. A row
identical to what a submitted sheet holds is no change and no error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from boards.selectors import board_compute
from reports.imports import ImportRejected, scores_import
from scoring.models import Quarter, ScoreChange, ScoreSheet
from scoring.services import quarter_create, quarter_transition
from tests.reports.helpers import workbook_bytes
from tests.reports.test_score_import import fill, snapshot, template

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline_quarter(demo):
    return quarter_transition(quarter=quarter_create(code="2019Q2"), to=Quarter.Status.SCORING)


def _half_filled(quarter):
    """Every Ⅰ类 row complete; the first Ⅱ类 row has one score, every other row is empty."""
    wb = template(quarter)
    fill_sheet = wb["Ⅰ类"]
    maxima = [c.value for c in fill_sheet[2]][1:]
    for row in fill_sheet.iter_rows(min_row=3):
        for index, maximum in enumerate(maxima, start=1):
            row[index].value = maximum
    wb["Ⅱ类"]["B3"] = 1
    for ws in (wb["Ⅱ类"], wb["Ⅲ类"]):  # leave only Ⅱ类's first row in those sheets
        for row in ws.iter_rows(min_row=4 if ws.title == "Ⅱ类" else 3):
            for cell in row[1:]:
                cell.value = None
    return wb


def test_without_submit_imported_sheets_are_drafts_and_count_for_nothing(offline_quarter):
    filled = fill(template(offline_quarter), lambda name, index, maximum: maximum)
    result = scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(filled))
    assert not ScoreSheet.objects.filter(quarter=offline_quarter, status=ScoreSheet.Status.SUBMITTED).exists()
    assert len(result.drafts) == 32 and result.submitted == []
    assert all(not c.ranking for c in board_compute(offline_quarter))


def test_submit_submits_the_completed_sheets_and_names_the_drafts(offline_quarter, dept_user):
    wb = _half_filled(offline_quarter)
    first_ii = wb["Ⅱ类"]["A3"].value
    complete = [r[0].value for r in wb["Ⅰ类"].iter_rows(min_row=3)]
    result = scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(wb), user=dept_user, submit=True)
    assert result.submitted == sorted(complete)
    assert result.drafts == [first_ii]
    sheets = {s.branch.name: s for s in ScoreSheet.objects.filter(quarter=offline_quarter).select_related("branch")}
    assert {n for n, s in sheets.items() if s.is_submitted} == set(complete)
    assert not sheets[first_ii].is_submitted
    submitted = sheets[complete[0]]
    assert (submitted.submitted_by, submitted.return_reason) == (dept_user, "")
    # The same history as a submit from the sheet form: a ScoreChange and an audit record.
    assert ScoreChange.objects.filter(sheet=submitted, field=ScoreChange.Field.SUBMIT).count() == 1
    assert AuditEvent.objects.filter(action="sheet_submit", target_id=str(submitted.pk)).count() == 1
    ranked = {r.name for c in board_compute(offline_quarter) for r in c.ranking}
    assert ranked == set(complete)


def test_the_same_filled_template_imports_again_after_the_missing_rows_are_added(offline_quarter, dept_user):
    wb = _half_filled(offline_quarter)
    scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(wb), user=dept_user, submit=True)
    versions = dict(
        ScoreSheet.objects.filter(quarter=offline_quarter, status=ScoreSheet.Status.SUBMITTED).values_list(
            "pk", "version"
        )
    )

    # The whole template filled now, the Ⅰ类 rows exactly as already submitted.
    for ws in (wb["Ⅱ类"], wb["Ⅲ类"]):
        maxima = [c.value for c in ws[2]][1:]
        for row in ws.iter_rows(min_row=3):
            for index, maximum in enumerate(maxima, start=1):
                row[index].value = maximum
    result = scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(wb), user=dept_user, submit=True)
    assert len(result.unchanged) == len(versions)
    assert result.drafts == []
    assert ScoreSheet.objects.filter(quarter=offline_quarter, status=ScoreSheet.Status.SUBMITTED).count() == 32
    # The sheets already submitted were not touched.
    assert dict(ScoreSheet.objects.filter(pk__in=versions).values_list("pk", "version")) == versions


def test_a_row_that_differs_from_a_submitted_sheet_is_still_refused(offline_quarter, dept_user):
    wb = _half_filled(offline_quarter)
    scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(wb), user=dept_user, submit=True)
    name = wb["Ⅰ类"]["A3"].value
    wb["Ⅰ类"]["B3"] = 0.5
    before = snapshot()
    with pytest.raises(ImportRejected) as info:
        scores_import(quarter=offline_quarter, group=None, source=workbook_bytes(wb), user=dept_user, submit=True)
    assert info.value.issues[0].message == f"“{name}”的评分表已提交，文件中的得分与已提交的不同；如需修改，请先退回。"
    assert snapshot() == before


def test_the_command_submits_only_with_submit(offline_quarter, tmp_path, capsys):
    path = tmp_path / "filled.xlsx"
    _half_filled(offline_quarter).save(path)
    call_command("import_scores", "--quarter", "2019Q2", str(path))
    out = capsys.readouterr().out
    assert "为草稿，提交后才计入红蓝榜" in out
    assert not ScoreSheet.objects.filter(quarter=offline_quarter, status=ScoreSheet.Status.SUBMITTED).exists()

    call_command("import_scores", "--quarter", "2019Q2", "--submit", str(path))
    out = capsys.readouterr().out
    first_ii = ScoreSheet.objects.get(quarter=offline_quarter, branch__category="2").branch.name
    assert "已提交 9 张评分表" in out
    assert f"1 张评分表尚有指标未评分，仍为草稿，未计入红蓝榜：{first_ii}。" in out
    assert ScoreSheet.objects.filter(quarter=offline_quarter, status=ScoreSheet.Status.SUBMITTED).count() == 9


def test_the_upload_page_has_a_submit_checkbox_that_submits(offline_quarter, dept_user, client):
    client.force_login(dept_user)
    page = client.get(reverse("reports:import_scores")).content.decode()
    assert 'name="submit"' in page and "提交" in page
    source = workbook_bytes(_half_filled(offline_quarter))
    source.name = "评分.xlsx"
    response = client.post(
        reverse("reports:import_scores"), {"quarter": "2019Q2", "file": source, "submit": "on"}, follow=True
    )
    html = response.content.decode()
    assert "已提交 9 张评分表" in html and "仍为草稿" in html
    assert ScoreSheet.objects.filter(quarter=offline_quarter, status=ScoreSheet.Status.SUBMITTED).count() == 9
    assert Decimal(9) == ScoreSheet.objects.filter(submitted_by=dept_user).count()
