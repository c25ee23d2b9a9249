"""The unit import in the browser (issue 17: "a province's 党建部 imports its units and branches from
Excel in the browser"): the import_units service behind a page, the admin anywhere, a unit's 党建部
only inside its own subtree, everyone else 403; every problem listed, nothing written; audited."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from baiyin_eval.request_size import RequestSizeLimitMiddleware, body_limit
from branches import roles, units
from branches.models import Unit
from reports.imports.units import units_import
from tests.factories import BranchFactory
from tests.helpers import make_user
from tests.reports.test_unit_import import PROVINCE, tree, unit_list

pytestmark = pytest.mark.django_db

URL = "/reports/imports/units/"
MB = 1024 * 1024


def upload(*rows, name="units.xlsx"):
    return {"file": SimpleUploadedFile(name, unit_list(*rows).getvalue())}


@pytest.fixture
def province():
    units_import(source=unit_list(*PROVINCE))
    return {u.name: u for u in Unit.objects.all()}


def as_role(client, role, **kwargs):
    user = make_user(role, **kwargs)
    client.force_login(user)
    return user


def test_the_url_keeps_its_name():
    assert reverse("reports:import_units") == URL


def test_the_admin_imports_a_tree_from_a_real_workbook(client):
    admin = as_role(client, roles.ADMIN, username="admin")
    assert "导入单位名单" in client.get(URL).content.decode()
    response = client.post(URL, upload(*PROVINCE), follow=True)
    assert "导入成功：新建 5 个单位，更新 0 个，未变 0 个；现有考评单位 3 个。" in response.content.decode()
    assert ("靖远县供电公司", "国网白银供电公司", False, "国网白银供电公司") in tree()
    event = AuditEvent.objects.get(action="unit_import")
    assert event.actor == admin and event.detail["新建"] == "5"


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(client):
    as_role(client, roles.ADMIN)
    rows = [("国网甘肃省电力公司", "", "是"), ("国网白银供电公司", "国网陇南供电公司", "是"), ("", "", "也许")]
    content = client.post(URL, upload(*rows)).content.decode()
    assert "文件未导入：发现 3 个问题" in content
    assert "上级单位“国网陇南供电公司”不存在" in content and "B（上级单位）" in content
    assert "A（单位名称）" in content and "不能为空。" in content
    assert "考评单位应填“是”或“否”，不能是“也许”。" in content
    assert not Unit.objects.exists() and not AuditEvent.objects.filter(action="unit_import").exists()


def test_a_re_import_updates(client, province):
    as_role(client, roles.ADMIN)
    branch = BranchFactory(unit=province["靖远县供电公司"])
    moved = [*PROVINCE[:3], ("靖远县供电公司", "国网天水供电公司", "否"), PROVINCE[4]]
    content = client.post(URL, upload(*moved), follow=True).content.decode()
    assert "新建 0 个单位，更新 1 个，未变 4 个" in content
    branch.refresh_from_db()
    assert branch.evaluating_unit.name == "国网天水供电公司"


def test_a_hostile_or_wrong_file_is_refused_by_the_guards_of_every_import(client, monkeypatch):
    as_role(client, roles.ADMIN)
    fake = {"file": SimpleUploadedFile("units.xlsx", b"PK\x03\x04 not really a zip")}
    assert "不是有效的 Excel 工作簿" in client.post(URL, fake).content.decode()
    assert "请上传 .xlsx 格式" in client.post(URL, upload(*PROVINCE, name="units.xls")).content.decode()
    monkeypatch.setattr("reports.forms.MAX_UPLOAD_BYTES", 100)
    assert "文件过大" in client.post(URL, upload(*PROVINCE)).content.decode()
    assert not Unit.objects.exists()


def test_the_route_has_the_file_limit_checked_before_the_body_is_read():
    assert body_limit(URL) == 11 * MB
    request = RequestFactory().post(URL, data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(12 * MB)
    seen = []
    response = RequestSizeLimitMiddleware(lambda r: seen.append(r))(request)
    assert response.status_code == 413 and not seen


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.SECRETARY, roles.LEADER])
def test_inspectors_secretaries_and_leadership_are_refused(client, province, role):
    as_role(client, role, unit=province["国网甘肃省电力公司"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, upload(("新单位", "国网白银供电公司", "否"))).status_code == 403
    assert client.get(reverse("reports:unit_list_download")).status_code == 403
    assert not Unit.objects.filter(name="新单位").exists()
    assert "导入单位名单" not in client.get("/").content.decode()


def test_a_units_dept_imports_below_itself(client, province):
    as_role(client, roles.DEPT, unit=province["国网白银供电公司"])
    assert reverse("reports:import_units") in client.get("/").content.decode()  # the home card links it
    rows = [("国网白银供电公司", "国网甘肃省电力公司", "是"), ("会宁县供电公司", "国网白银供电公司", "否")]
    content = client.post(URL, upload(*rows), follow=True).content.decode()
    assert "新建 1 个单位" in content
    assert Unit.objects.get(name="会宁县供电公司").evaluating_unit == province["国网白银供电公司"]


def test_a_units_dept_is_refused_anything_outside_its_subtree_row_by_row(client, province):
    as_role(client, roles.DEPT, unit=province["国网白银供电公司"])
    before = tree()
    rows = [
        ("国网白银供电公司", "国网甘肃省电力公司", "否"),  # its own unit changed
        ("靖远县供电公司", "国网天水供电公司", "否"),  # moved out of its subtree
        ("秦州区供电公司", "国网天水供电公司", "否"),  # created under another unit
        ("新的省公司", "", "是"),  # a new root
        ("国网天水供电公司", "国网白银供电公司", "是"),  # another unit taken in
        ("会宁县供电公司", "国网白银供电公司", "否"),  # fine on its own
    ]
    content = client.post(URL, upload(*rows)).content.decode()
    assert "文件未导入：发现 5 个问题" in content
    assert "“国网白银供电公司”是本单位，不能在此移动或更改其考评单位" in content
    assert content.count("上级单位“国网天水供电公司”不在本单位之下，只能导入本单位“国网白银供电公司”及其下级单位") == 2
    assert "上级单位不能为空：只能导入本单位“国网白银供电公司”及其下级单位" in content
    assert "单位“国网天水供电公司”不在本单位之下" in content
    for row in (2, 3, 4, 5, 6):
        assert f'<td class="num">{row}</td>' in content
    assert tree() == before and not Unit.objects.filter(name="会宁县供电公司").exists()


def test_another_units_dept_cannot_write_into_a_sibling(client, province):
    as_role(client, roles.DEPT, unit=province["国网天水供电公司"])
    content = client.post(URL, upload(("靖远县供电公司", "国网天水供电公司", "否"))).content.decode()
    assert "单位“靖远县供电公司”不在本单位之下" in content
    assert units.parent_of(Unit.objects.get(name="靖远县供电公司")).name == "国网白银供电公司"


def test_the_current_list_is_the_own_subtree_and_imports_back_unchanged(client, province):
    as_role(client, roles.DEPT, unit=province["国网白银供电公司"])
    response = client.get(reverse("reports:unit_list_download"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [
        ("单位名称", "上级单位", "考评单位"),
        ("国网白银供电公司", "国网甘肃省电力公司", "是"),
        ("靖远县供电公司", "国网白银供电公司", "否"),
    ]
    again = {"file": SimpleUploadedFile("units.xlsx", response.content)}
    assert "新建 0 个单位，更新 0 个，未变 2 个" in client.post(URL, again, follow=True).content.decode()


def test_the_admins_list_is_the_whole_tree(client, province):
    as_role(client, roles.ADMIN)
    response = client.get(reverse("reports:unit_list_download"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert set(rows[1:]) == {(name, parent or None, yes) for name, parent, yes in PROVINCE}
