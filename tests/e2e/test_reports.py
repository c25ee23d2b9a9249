"""Headless Chromium: an admin downloads a report; the job page follows a job to its download link;
党建部 uploads a broken template and sees every problem."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(settings, tmp_path):
    from django.core.management import call_command

    from tests.helpers import forget_producer_pool

    forget_producer_pool()  # a Redis worker test earlier in the run may have closed the cached pool
    settings.REPORTS_ROOT = str(tmp_path / "reports")
    call_command("seed_demo", "--company-only", verbosity=0)


def test_the_admin_generates_and_downloads_the_score_detail(page, live_server, seeded, tmp_path):
    browser_login(page, live_server, "admin", DEMO_PASSWORD)
    page.click("nav >> text=报表")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Excel 报表")
    screenshot(page, "reports_index_admin")
    page.locator(".card", has_text="评分明细").get_by_role("button", name="生成 Excel").click()
    page.wait_for_load_state("networkidle")
    link = page.locator("#reports-job-download")
    link.wait_for(state="visible", timeout=10_000)
    assert page.locator("#reports-job-status").inner_text() == "已完成"
    screenshot(page, "reports_job_done")
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "download.xlsx"
    info.value.save_as(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Ⅰ类", "Ⅱ类", "Ⅲ类"]
    assert wb["Ⅰ类"]["B3"].value == "白银变电运检中心党支部"


def test_the_job_page_polls_until_the_file_is_ready(page, live_server, seeded):
    from branches.models import User
    from reports.models import ExportJob
    from reports.services import export_job_run
    from scoring.models import Quarter

    job = ExportJob.objects.create(
        kind="scores", quarter=Quarter.objects.get(code="2019Q1"), requested_by=User.objects.get(username="admin")
    )
    browser_login(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    assert page.locator("#reports-job-status").inner_text() == "排队中"
    assert page.locator("#reports-job-download").is_hidden()
    screenshot(page, "reports_job_pending")
    export_job_run(job_id=job.pk)  # what the worker does
    page.locator("#reports-job-download").wait_for(state="visible", timeout=10_000)
    assert page.locator("#reports-job-status").inner_text() == "已完成"
    assert page.locator(".progress-bar").inner_text() == "100%"


def test_the_dept_uploads_a_broken_template_and_sees_every_problem(page, live_server, seeded, tmp_path):
    from reports.exports import score_template
    from scoring.models import Quarter
    from scoring.services import quarter_create, quarter_transition

    quarter = quarter_transition(quarter=quarter_create(code="2019Q2"), to=Quarter.Status.SCORING)
    path = tmp_path / "filled.xlsx"
    score_template(quarter).save(path)
    wb = load_workbook(path)
    wb["Ⅰ类"]["B3"] = 99
    wb["Ⅰ类"]["C4"] = "=B3"
    wb["Ⅲ类"]["A5"] = "不存在的支部"
    wb["Ⅲ类"]["B5"] = 5
    wb.save(path)

    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/reports/imports/scores/")
    page.select_option("select[name=quarter]", "2019Q2")
    page.set_input_files("input[name=file]", str(path))
    page.click(".reports-upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    alert = page.locator(".reports-issues")
    assert "发现 3 个问题" in alert.inner_text()
    rows = alert.locator("tbody tr")
    assert rows.count() == 3
    screenshot(page, "reports_import_rejected")
    # A clean file goes through.
    clean = load_workbook(path)
    clean["Ⅰ类"]["B3"], clean["Ⅰ类"]["C4"], clean["Ⅲ类"]["A5"] = 1, 1, clean["Ⅲ类"]["A4"].value
    clean["Ⅲ类"].delete_rows(4)
    clean.save(path)
    page.select_option("select[name=quarter]", "2019Q2")
    page.set_input_files("input[name=file]", str(path))
    page.click(".reports-upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "导入成功" in page.locator(".alert-success").inner_text()
    screenshot(page, "reports_import_done")


def test_the_admin_downloads_the_four_reports_and_libreoffice_opens_them(page, live_server, seeded, tmp_path):
    """The issue's "done when": four downloads from the browser, each converted to PDF."""
    import shutil
    import subprocess

    browser_login(page, live_server, "admin", DEMO_PASSWORD)
    files = []
    for kind, title in (
        ("scores", "评分明细"),
        ("board", "红蓝榜"),
        ("adjustments", "绩效加扣分"),
        ("rectification", "整改进度"),
    ):
        page.goto(f"{live_server.url}/reports/?quarter=2018Q4")
        page.locator(f".card[data-report={kind}]").get_by_role("button", name="生成 Excel").click()
        link = page.locator("#reports-job-download")
        link.wait_for(state="visible", timeout=10_000)
        with page.expect_download() as info:
            link.click()
        path = tmp_path / f"{title}.xlsx"
        info.value.save_as(path)
        assert info.value.suggested_filename == f"2018Q4-{title}.xlsx"
        assert "2018年第4季度" in load_workbook(path).worksheets[0]["A1"].value
        files.append(path)
    screenshot(page, "reports_job_done")
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed: downloads checked, PDF conversion skipped")
    out = tmp_path / "pdf"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(p.stem for p in files)
