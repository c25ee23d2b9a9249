"""Every download is named in Chinese: `filename*` (RFC 5987, UTF-8) for browsers, with an ASCII
`filename` beside it for clients that ignore `filename*`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from baiyin_eval.xlsx import ascii_file_name, attachment_disposition
from interviews.models import Evidence
from reports.models import ExportJob
from scoring.models import InspectionGroup
from tests.dashboards.helpers import download_through_the_queue
from tests.interviews.helpers import answered, make_interview
from tests.reports.helpers import publish

pytestmark = pytest.mark.django_db


def names(response) -> tuple[str, str]:
    """(the filename* name, decoded; the plain ASCII filename) of an attachment response."""
    header = response["Content-Disposition"]
    assert header.startswith("attachment; ")
    parts = dict(part.strip().split("=", 1) for part in header.split(";")[1:])
    assert parts["filename*"].startswith("UTF-8''")
    plain = parts["filename"].strip('"')
    assert plain.isascii() and plain
    return unquote(parts["filename*"].removeprefix("UTF-8''")), plain


def test_the_header_carries_the_chinese_name_and_an_ascii_one():
    header = attachment_disposition("2019Q1-评分明细.xlsx", "2019Q1-scores.xlsx")
    assert header == (
        "attachment; filename=\"2019Q1-scores.xlsx\"; filename*=UTF-8''2019Q1-%E8%AF%84%E5%88%86%E6%98%8E%E7%BB%86.xlsx"
    )
    # Quotes, semicolons and slashes in a name cannot break out of the header.
    header = attachment_disposition('a"b;c/d 报告.pdf')
    assert header.count('"') == 2 and "/" not in header and header.count(";") == 2
    assert ascii_file_name("整改报告.pdf", "evidence") == "evidence.pdf"
    assert ascii_file_name("现场 照片(1).JPG") == "1.JPG"


def test_the_dashboard_and_overview_downloads_are_named_in_chinese(
    client, demo, reports_root, django_capture_on_commit_callbacks
):
    client.force_login(demo.users["lingdao"])
    today = timezone.localdate().isoformat()
    _job, response = download_through_the_queue(
        client, django_capture_on_commit_callbacks, kind="dashboard", quarter="2018Q4"
    )
    assert names(response) == (f"党支部积分看板-{today}.xlsx", f"dashboard-{today}.xlsx")
    _job, response = download_through_the_queue(
        client, django_capture_on_commit_callbacks, kind="overview", quarter="2018Q4"
    )
    assert names(response) == ("2018Q4-党委总览.xlsx", "overview-2018Q4.xlsx")


def test_the_templates_and_the_branch_list_are_named_in_chinese(client, demo):
    client.force_login(demo.users["dangjian"])
    response = client.get(reverse("reports:template_download", args=["2019Q1"]))
    assert names(response) == ("2019Q1-党建部-评分模板.xlsx", "2019Q1-template.xlsx")
    group = InspectionGroup.objects.get(quarter=demo.quarter, name="第三检查组")
    response = client.get(reverse("reports:template_download", args=["2019Q1"]) + f"?group={group.pk}")
    assert names(response) == ("2019Q1-第三检查组-评分模板.xlsx", f"2019Q1-template-{group.pk}.xlsx")
    client.force_login(demo.users["admin"])  # the branch list belongs to the system administrator
    response = client.get(reverse("reports:branch_list_download"))
    assert names(response) == ("党组织名单.xlsx", "branches.xlsx")


@pytest.mark.parametrize(
    ("kind", "title"), [("scores", "评分明细"), ("board", "红蓝榜"), ("rectification", "整改进度")]
)
def test_an_export_job_downloads_under_its_chinese_name(
    client, demo, reports_root, django_capture_on_commit_callbacks, kind, title
):
    publish(demo.quarter)
    client.force_login(demo.users["dangjian"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_create"), {"kind": kind, "quarter": "2019Q1"})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    response = client.get(reverse("reports:export_download", args=[job.pk]))
    assert names(response) == (f"2019Q1-{title}.xlsx", f"2019Q1-{kind}.xlsx")


def test_evidence_downloads_under_the_name_it_was_uploaded_with(client, secretary_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(Path(tmp_path) / "media")
    item = make_interview(branch=secretary_user.branch, n_items=1, **answered()).items.get()
    client.force_login(secretary_user)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(f"/interviews/items/{item.pk}/evidence/", {"file": SimpleUploadedFile("整改报告.pdf", pdf)})
    evidence = Evidence.objects.get()
    response = client.get(f"/interviews/evidence/{evidence.pk}/")
    assert names(response) == ("整改报告.pdf", "evidence.pdf")
