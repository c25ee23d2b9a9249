"""/reports/ for a province (issue 17): its 党建部 and leadership see, besides their own unit's quarters,
the published quarters of every evaluating unit below, grouped by unit, and may export those
quarters' published reports (红蓝榜, 绩效加扣分) — never another unit's quarter in progress, never its
score templates, never a sibling's anything, never someone else's file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from branches import roles, units
from reports.models import ExportJob
from scoring.models import Quarter
from scoring.services import quarter_create
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(reports_root):
    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    tianshui = units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    jingyuan = units.unit_create(name="靖远县供电公司", parent=baiyin, is_evaluating=True)
    quarters = {}
    for unit, code, status in [
        (province, "2019Q1", Quarter.Status.SCORING),
        (baiyin, "2018Q4", Quarter.Status.PUBLISHED),
        (baiyin, "2019Q1", Quarter.Status.SCORING),
        (tianshui, "2018Q4", Quarter.Status.PUBLISHED),
        (jingyuan, "2018Q4", Quarter.Status.PUBLISHED),
    ]:
        quarter = quarter_create(code=code, unit=unit)
        Quarter.objects.filter(pk=quarter.pk).update(status=status)
        quarters[unit.name, code] = quarter
    people = {
        "gs_dept": make_user(roles.DEPT, username="gs_dept", unit=province),
        "gs_leader": make_user(roles.LEADER, username="gs_leader", unit=province),
        "by_dept": make_user(roles.DEPT, username="by_dept", unit=baiyin),
        "ts_dept": make_user(roles.DEPT, username="ts_dept", unit=tianshui),
        "ts_inspector": make_user(roles.INSPECTOR, username="ts_inspector", unit=tianshui),
    }
    return type("Tree", (), {"baiyin": baiyin, "tianshui": tianshui, "quarters": quarters, "people": people})


def page(client, tree, who, query=""):
    client.force_login(tree.people[who])
    response = client.get(reverse("reports:index") + query)
    assert response.status_code == 200
    return response.content.decode()


def below_rows(content: str) -> list[str]:
    table = content.split('class="table table-sm align-middle reports-below"')[1].split("</table>")[0]
    return [chunk.split('"')[0] for chunk in table.split('data-unit="')[1:]]


@pytest.mark.parametrize("who", ["gs_dept", "gs_leader"])
def test_the_province_sees_every_published_quarter_below_grouped_by_unit(client, tree, who):
    content = page(client, tree, who)
    assert below_rows(content) == ["国网白银供电公司", "靖远县供电公司", "国网天水供电公司"]  # tree order
    baiyin = content.split('data-unit="国网白银供电公司"')[1].split("</tr>")[0]
    assert f"?unit={tree.baiyin.pk}&amp;quarter=2018Q4" in baiyin and "2019Q1" not in baiyin


def test_a_city_sees_its_county_below_but_not_its_sibling(client, tree):
    assert below_rows(page(client, tree, "by_dept")) == ["靖远县供电公司"]
    assert "reports-below" not in page(client, tree, "ts_dept")


def test_a_published_quarter_below_offers_only_the_published_boards_reports(client, tree):
    content = page(client, tree, "gs_dept", f"?unit={tree.baiyin.pk}&quarter=2018Q4")
    assert "国网白银供电公司 2018Q4" in content
    assert (
        content.count("生成 Excel") == 2 and 'data-report="board"' in content and 'data-report="scores"' not in content
    )
    assert f'name="quarter_unit" value="{tree.baiyin.pk}"' in content
    assert "下载模板" not in content  # a quarter below is not the province's to score


def test_an_unpublished_quarter_below_is_not_offered(client, tree):
    content = page(client, tree, "gs_dept", f"?unit={tree.baiyin.pk}&quarter=2019Q1")
    assert "生成 Excel" not in content and "下载模板" not in content


def export(client, user, kind, quarter: Quarter, unit=True):
    client.force_login(user)
    data = {"kind": kind, "quarter": quarter.code}
    if unit:
        data["quarter_unit"] = quarter.unit_id
    return client.post(reverse("reports:export_create"), data)


def test_the_province_exports_a_citys_published_board_and_downloads_only_its_own_file(client, tree):
    published = tree.quarters["国网白银供电公司", "2018Q4"]
    response = export(client, tree.people["gs_dept"], "board", published)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and (job.quarter, job.requested_by) == (published, tree.people["gs_dept"])
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE)
    for who, status in [("gs_leader", 404), ("ts_dept", 404), ("by_dept", 404), ("ts_inspector", 403)]:
        client.force_login(tree.people[who])
        assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == status, who


@pytest.mark.parametrize(
    ("who", "kind", "unit", "code"),
    [
        ("gs_dept", "board", "国网白银供电公司", "2019Q1"),  # in progress below
        ("gs_dept", "scores", "国网白银供电公司", "2018Q4"),  # the live score detail of a unit below
        ("gs_dept", "rectification", "国网白银供电公司", "2018Q4"),
        ("ts_dept", "board", "国网白银供电公司", "2018Q4"),  # a sibling's, published or not
        ("by_dept", "board", "国网甘肃省电力公司", "2019Q1"),  # the unit above
    ],
)
def test_every_other_export_below_or_beside_is_refused_and_nothing_is_made(client, tree, who, kind, unit, code):
    assert export(client, tree.people[who], kind, tree.quarters[unit, code]).status_code == 400
    assert not ExportJob.objects.exists()


def test_a_quarter_below_has_no_score_template_for_the_province(client, tree):
    client.force_login(tree.people["gs_dept"])
    for code in ("2018Q4", "2019Q1"):
        url = reverse("reports:template_download", args=[code]) + f"?unit={tree.baiyin.pk}"
        assert client.get(url).status_code == 404
