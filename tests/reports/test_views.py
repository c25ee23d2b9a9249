"""The reports pages: who may use them, export jobs with progress and download, uploads."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import Workbook

from reports.models import ExportJob
from scoring.models import InspectionGroup, Quarter, Score, ScoreSheet
from scoring.services import quarter_create, quarter_transition
from tests.helpers import make_user
from tests.reports.helpers import publish, reopen, workbook_bytes

pytestmark = pytest.mark.django_db

EXPORTERS = ["admin", "dangjian", "lingdao"]
OUTSIDERS = ["shuji", "jiancha1"]


def as_user(client, demo, username):
    client.force_login(demo.users[username])
    return client


def export(client, kind="scores", quarter="2019Q1"):
    return client.post(reverse("reports:export_create"), {"kind": kind, "quarter": quarter})


# --- permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", EXPORTERS)
def test_admins_the_dept_and_leadership_may_export(client, demo, username, reports_root):
    response = export(as_user(client, demo, username))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.requested_by == demo.users[username]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_everyone_else_is_refused_every_export_url(client, demo, username, reports_root):
    owner = demo.users["admin"]
    job = ExportJob.objects.create(kind="scores", quarter=demo.quarter, requested_by=owner)
    as_user(client, demo, username)
    assert export(client).status_code == 403
    for name in ("export_detail", "export_status", "export_download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 403
    assert ExportJob.objects.count() == 1


def test_secretaries_cannot_open_the_reports_page_inspectors_can(client, demo):
    assert as_user(client, demo, "shuji").get(reverse("reports:index")).status_code == 403
    response = as_user(client, demo, "jiancha1").get(reverse("reports:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "下载模板：第一检查组" in content
    assert "第二检查组" not in content and "生成 Excel" not in content and "导入评分" not in content


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_another_exporters_job_is_not_found(client, demo, reports_root):
    job = ExportJob.objects.create(kind="scores", quarter=demo.quarter, requested_by=demo.users["admin"])
    as_user(client, demo, "dangjian")
    for name in ("export_detail", "export_status", "export_download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("username", "status"), [("admin", 200), ("dangjian", 200), ("lingdao", 403), ("jiancha1", 403), ("shuji", 403)]
)
def test_only_admins_and_the_dept_may_import_scores(client, demo, username, status):
    assert as_user(client, demo, username).get(reverse("reports:import_scores")).status_code == status


@pytest.mark.parametrize(
    ("username", "status"), [("admin", 200), ("dangjian", 200), ("lingdao", 403), ("jiancha1", 403), ("shuji", 403)]
)
def test_only_admins_and_the_dept_may_import_the_branch_list(client, demo, username, status):
    assert as_user(client, demo, username).get(reverse("reports:import_branches")).status_code == status


def test_writes_are_posts(client, demo):
    as_user(client, demo, "admin")
    assert client.get(reverse("reports:export_create")).status_code == 405


# --- export jobs ----------------------------------------------------------------------------------------


def test_an_export_runs_and_its_page_offers_the_finished_file(
    client, demo, reports_root, django_capture_on_commit_callbacks
):
    as_user(client, demo, "admin")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job_url = export(client)["Location"]
    assert len(callbacks) == 1  # queued only once the request's transaction commits
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE and job.progress == 100  # eager here; a worker in production
    assert (reports_root / job.file_name).is_file()
    assert list(reports_root.glob(".part-*")) == []  # no temporary file left behind
    page = client.get(job_url).content.decode()
    assert "已完成" in page and reverse("reports:export_download", args=[job.pk]) in page
    assert "js/reports.js" in page and "<script>" not in page
    state = client.get(reverse("reports:export_status", args=[job.pk])).json()
    assert state == {
        "status": "done",
        "status_display": "已完成",
        "progress": 100,
        "finished": True,
        "error": "",
        "download_url": reverse("reports:export_download", args=[job.pk]),
    }
    response = client.get(state["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    wb = reopen(b"".join(response.streaming_content))
    assert wb.sheetnames == ["Ⅰ类", "Ⅱ类", "Ⅲ类"]


def test_a_job_not_finished_offers_no_file(client, demo, reports_root):
    job = ExportJob.objects.create(kind="scores", quarter=demo.quarter, requested_by=demo.users["admin"])
    as_user(client, demo, "admin")
    state = client.get(reverse("reports:export_status", args=[job.pk])).json()
    assert state["download_url"] is None and state["finished"] is False
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_a_report_that_cannot_be_built_fails_with_the_reason(
    client, demo, reports_root, django_capture_on_commit_callbacks
):
    as_user(client, demo, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        export(client, kind="board")
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "季度 2019Q1 的红蓝榜尚未发布。"
    assert job.file_name == "" and list(reports_root.glob("*")) == []
    assert client.get(reverse("reports:export_status", args=[job.pk])).json()["error"] == job.error


def test_a_double_click_does_not_queue_the_same_export_twice(client, demo, reports_root, settings):
    from unittest import mock

    as_user(client, demo, "admin")
    with mock.patch("reports.tasks.export_job_run_task.delay_on_commit") as queued:
        first = export(client)["Location"]
        second = export(client)["Location"]
    assert first == second
    assert ExportJob.objects.count() == 1
    assert queued.call_count == 1


def test_an_unknown_report_is_a_bad_request(client, demo):
    as_user(client, demo, "admin")
    assert export(client, kind="salaries").status_code == 400
    assert export(client, quarter="1999Q1").status_code == 400
    assert not ExportJob.objects.exists()


def test_the_published_reports_are_offered_once_the_board_is_published(client, demo):
    as_user(client, demo, "admin")
    page = client.get(reverse("reports:index")).content.decode()
    assert page.count("生成 Excel") == 2 and "红蓝榜发布后可导出" in page
    publish(demo.quarter)
    page = client.get(reverse("reports:index") + "?quarter=2019Q1").content.decode()
    assert page.count("生成 Excel") == 4


def test_the_reports_page_takes_a_fixed_number_of_queries(client, demo, django_assert_num_queries, reports_root):
    as_user(client, demo, "admin")
    for _ in range(3):
        export(client)
        ExportJob.objects.update(status=ExportJob.Status.DONE)
    # savepoint (ATOMIC_REQUESTS), session, user, roles, the quarters (export form), the current
    # quarter (not yet published), its groups (template links), the user's recent jobs, the user's
    # evaluating unit (issue 17: the quarters are its), the published quarters of the units below, release
    with django_assert_num_queries(11):
        assert client.get(reverse("reports:index")).status_code == 200


# --- templates -------------------------------------------------------------------------------------------


def test_the_dept_downloads_its_template_and_each_groups(client, demo):
    as_user(client, demo, "dangjian")
    url = reverse("reports:template_download", args=["2019Q1"])
    response = client.get(url)
    assert response.status_code == 200
    assert "filename*=UTF-8''2019Q1-" in response["Content-Disposition"]
    assert sum(ws.max_row - 2 for ws in reopen(response.content).worksheets) == 32
    group = InspectionGroup.objects.get(quarter=demo.quarter, name="第三检查组")
    wb = reopen(client.get(url, {"group": group.pk}).content)
    assert sum(ws.max_row - 2 for ws in wb.worksheets) == ScoreSheet.objects.filter(group=group).count()


def test_an_inspector_downloads_only_their_own_groups_template(client, demo):
    as_user(client, demo, "jiancha1")
    url = reverse("reports:template_download", args=["2019Q1"])
    own = InspectionGroup.objects.get(quarter=demo.quarter, name="第一检查组")
    other = InspectionGroup.objects.get(quarter=demo.quarter, name="第二检查组")
    assert client.get(url, {"group": own.pk}).status_code == 200
    assert client.get(url, {"group": other.pk}).status_code == 404
    assert client.get(url).status_code == 403  # 党建部's whole list


def test_secretaries_and_leadership_get_no_template(client, demo):
    url = reverse("reports:template_download", args=["2019Q1"])
    group = InspectionGroup.objects.get(quarter=demo.quarter, name="第一检查组")
    for username in ("shuji", "lingdao"):
        as_user(client, demo, username)
        assert client.get(url).status_code == 403
        assert client.get(url, {"group": group.pk}).status_code == 403


# --- uploads ----------------------------------------------------------------------------------------------


@pytest.fixture
def offline_quarter(demo):
    return quarter_transition(quarter=quarter_create(code="2019Q2"), to=Quarter.Status.SCORING)


def filled_template(client, quarter, value):
    from openpyxl import load_workbook

    wb = load_workbook(
        workbook_bytes(reopen(client.get(reverse("reports:template_download", args=[quarter.code])).content))
    )
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=3):
            for cell in row[1:]:
                cell.value = value
    return wb


def upload(wb, name="scores.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, workbook_bytes(wb).getvalue())


def test_the_dept_uploads_a_filled_template(client, demo, offline_quarter):
    as_user(client, demo, "dangjian")
    wb = filled_template(client, offline_quarter, 1)
    response = client.post(
        reverse("reports:import_scores"), {"quarter": "2019Q2", "group": "", "file": upload(wb)}, follow=True
    )
    assert "导入成功：32 个党组织" in response.content.decode()
    assert ScoreSheet.objects.filter(quarter=offline_quarter, group=None).count() == 32


def test_a_broken_upload_lists_every_problem_and_writes_nothing(client, demo, offline_quarter):
    as_user(client, demo, "dangjian")
    wb = filled_template(client, offline_quarter, 1)
    wb["Ⅰ类"]["B3"] = 99
    wb["Ⅱ类"]["C4"] = "好"
    before = Score.objects.count()
    response = client.post(reverse("reports:import_scores"), {"quarter": "2019Q2", "file": upload(wb)})
    assert response.status_code == 200
    content = response.content.decode()
    assert "发现 2 个问题" in content and "没有写入任何数据" in content
    assert "Ⅰ类" in content and "Ⅱ类" in content and "得分不能超过本项满分" in content and "不是数字" in content
    assert Score.objects.count() == before


def test_the_upload_form_explains_a_wrong_file_type_next_to_the_field(client, demo, offline_quarter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_user(client, demo, "dangjian")
    response = client.post(
        reverse("reports:import_scores"),
        {"quarter": "2019Q2", "file": SimpleUploadedFile("scores.xls", b"old")},
    )
    assert "请上传 .xlsx 格式的 Excel 文件" in response.content.decode()


def test_a_group_of_another_quarter_is_refused_by_the_form(client, demo, offline_quarter):
    as_user(client, demo, "dangjian")
    group = InspectionGroup.objects.get(quarter=demo.quarter, name="第一检查组")
    wb = filled_template(client, offline_quarter, 1)
    response = client.post(
        reverse("reports:import_scores"), {"quarter": "2019Q2", "group": group.pk, "file": upload(wb)}
    )
    assert "该检查组不属于所选季度" in response.content.decode()
    assert not ScoreSheet.objects.filter(quarter=offline_quarter).exists()


def test_the_admin_uploads_a_branch_list(client, demo):
    as_user(client, demo, "admin")
    wb = Workbook()
    wb.active.append(["组织名称", "类别", "组织类型", "上级组织", "所属单位"])
    wb.active.append(["新成立党支部", "Ⅱ", "党支部", None, "新单位"])
    response = client.post(reverse("reports:import_branches"), {"file": upload(wb, "list.xlsx")}, follow=True)
    assert "新建 1 个党组织" in response.content.decode()


# --- home and nav -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "shown"),
    [("admin", True), ("dangjian", True), ("lingdao", True), ("shuji", False), ("jiancha1", False)],
)
def test_the_home_card_is_for_those_who_export_or_import(client, demo, username, shown):
    content = as_user(client, demo, username).get("/").content.decode()
    assert ("Excel 报表" in content) is shown


def test_the_admin_home_card_links_to_every_page(client, demo):
    content = as_user(client, demo, "admin").get("/").content.decode()
    for name in ("index", "import_scores", "import_branches", "import_units"):
        assert reverse(f"reports:{name}") in content


def test_the_nav_links_the_reports_page_for_those_who_may_use_it(client, demo):
    assert 'href="/reports/"' in as_user(client, demo, "lingdao").get("/").content.decode()
    assert 'href="/reports/"' not in as_user(client, demo, "shuji").get("/").content.decode()


def test_a_user_without_a_role_sees_no_card(client, demo):
    client.force_login(make_user(None, username="nobody"))
    assert "Excel 报表" not in client.get("/").content.decode()
