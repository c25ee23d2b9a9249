"""The dashboards' Excel jobs are their unit's (issue 17): two evaluating units with the same branch
names and quarters of the same codes, both published — each 党建部's dashboard and overview
workbooks, built by the export job as the page asks for them, hold its own unit's branches and
numbers only, never the other's."""

# ruff: noqa: F811 — two_cities is a fixture, imported to be requested by name
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from boards.models import BoardEntry
from boards.services import quarter_publish
from reports.models import ExportJob
from reports.services import export_job_run
from tests.boards.test_unit_boards import ALL_NAMES, _dept, two_cities  # noqa: F401

pytestmark = pytest.mark.django_db

BAIYIN, TIANSHUI = "国网白银供电公司", "国网天水供电公司"


@pytest.fixture
def published(two_cities, reports_root):
    for _unit, quarter, _branches in two_cities.values():
        quarter_publish(quarter=quarter, user=_dept(quarter))
    return two_cities


def job_rows(client, user, data: dict) -> dict[str, list[tuple]]:
    """Ask for the download as the page does, run the job, read every sheet."""
    client.force_login(user)
    response = client.post(reverse("reports:export_create"), data)
    assert response.status_code == 302
    job = ExportJob.objects.filter(requested_by=user).latest("pk")
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE, job.error
    with job.open_file() as f:
        wb = load_workbook(io.BytesIO(f.read()))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def names_in(rows: list[tuple]) -> list[str]:
    return [row[0] for row in rows if row and row[0] in ALL_NAMES]


@pytest.mark.parametrize("city", [BAIYIN, TIANSHUI])
def test_the_dashboard_workbook_holds_the_requesters_unit_only(client, published, city):
    _unit, quarter, _branches = published[city]
    sheets = job_rows(client, _dept(quarter), {"kind": "dashboard", "quarter": "2019Q1"})
    table = sheets["总分与名次"]
    assert sorted(names_in(table)) == sorted(ALL_NAMES)  # each name once: not the other city's too
    assert sum("2019Q1总分" in str(cell) for row in table for cell in row if cell) == 1  # one quarter's columns
    totals = {row[0]: row[3] for row in table if row and row[0] in ALL_NAMES}
    own = dict(BoardEntry.objects.filter(quarter=quarter).values_list("branch_name", "total"))
    assert {name: float(total) for name, total in totals.items()} == {n: float(t) for n, t in own.items()}
    units_shown = {row[2] for row in table if row and row[0] in ALL_NAMES}
    assert all(u.startswith(city[2:4]) or u == city for u in units_shown)


def test_a_branch_of_the_other_unit_named_in_the_filters_gives_no_sheets_of_it(client, published):
    _unit, quarter, _branches = published[BAIYIN]
    other = published[TIANSHUI][2][0]
    sheets = job_rows(client, _dept(quarter), {"kind": "dashboard", "quarter": "2019Q1", "branch": other.pk})
    assert set(sheets) == {"总分与名次", "类别平均"}
    own = published[BAIYIN][2][0]
    sheets = job_rows(client, _dept(quarter), {"kind": "dashboard", "quarter": "2019Q1", "branch": own.pk})
    assert "本组织走势" in sheets


def test_the_overview_workbook_counts_the_requesters_unit_only(client, published):
    _unit, quarter, _branches = published[TIANSHUI]
    sheets = job_rows(client, _dept(quarter), {"kind": "overview", "quarter": "2019Q1"})
    ranked = BoardEntry.objects.filter(quarter=quarter, status=BoardEntry.Status.RANKED).count()
    counted = [row for row in sheets["总分分布"] if row and row[0] in ("Ⅰ类", "Ⅱ类", "Ⅲ类")]
    header = next(row for row in sheets["总分分布"] if row and "参加排名" in row)
    assert sum(row[header.index("参加排名")] or 0 for row in counted) == ranked == len(ALL_NAMES)


def test_the_dashboards_own_unit_filter_still_reaches_the_job(client, published):
    _unit, quarter, branches = published[BAIYIN]
    county = next(b.unit for b in branches if b.name.startswith("县"))
    sheets = job_rows(client, _dept(quarter), {"kind": "dashboard", "quarter": "2019Q1", "unit": county.pk})
    assert names_in(sheets["总分与名次"]) == ["县供电公司党总支"]
