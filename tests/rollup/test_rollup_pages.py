"""The roll-up page, the big screen and the Excel, through the client: who may open them, what an
unpublished unit shows (nothing but that it is unpublished), and queries that do not grow with units."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from boards.models import BoardEntry
from branches import roles
from reports.models import ExportJob
from scoring.models import Quarter
from tests.helpers import make_user
from tests.rollup.helpers import (
    BAIYIN,
    DINGXI,
    PROVINCE,
    TIANSHUI,
    Line,
    add_quarter,
    add_unit,
    province_tree,
    publish_rows,
    standard_board,
)

pytestmark = pytest.mark.django_db

SECRET = "天水保密党支部"  # a branch whose rows exist on Tianshui's unpublished quarter


@pytest.fixture
def province():
    units = province_tree()
    publish_rows(add_quarter(units[BAIYIN], "2019Q1"), standard_board())
    publish_rows(
        add_quarter(units[DINGXI], "2019Q1"),
        [Line("财务部党支部", "3", "92.00", 1, "red"), Line("营销部党支部", "3", "90.00", 2, "blue")],
    )
    tianshui = add_quarter(units[TIANSHUI], "2019Q1", Quarter.Status.CLOSED)
    # Rows on an unpublished quarter (as if left by anything): the roll-up must never read them.
    publish_rows(tianshui, [Line(SECRET, "3", "99.00", 1, "red")])
    return units


@pytest.fixture
def people(province):
    return {
        "province_dept": make_user(roles.DEPT, username="gs_dangjian", unit=province[PROVINCE]),
        "province_leader": make_user(roles.LEADER, username="gs_lingdao", unit=province[PROVINCE]),
        "baiyin_dept": make_user(roles.DEPT, username="by_dangjian", unit=province[BAIYIN]),
        "baiyin_secretary": make_user(roles.SECRETARY, username="by_shuji", unit=province[BAIYIN]),
        "baiyin_inspector": make_user(roles.INSPECTOR, username="by_jiancha", unit=province[BAIYIN]),
    }


def page_url(unit, code="2019Q1", name="rollup:page"):
    return reverse(name, args=[unit.pk, code])


def test_the_provinces_dept_sees_every_city_side_by_side(client, province, people):
    client.force_login(people["province_dept"])
    response = client.get(page_url(province[PROVINCE]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "国网甘肃省电力公司 2019Q1 红蓝榜汇总" in html
    assert "白银变电运检中心党支部、电力调度中心党总支部、财务部党支部" in html
    rows = {r.name: r for r in response.context["page"].object_list}
    assert set(rows) == {BAIYIN, DINGXI, TIANSHUI}
    quarter = Quarter.objects.get(unit=province[BAIYIN], code="2019Q1")
    assert rows[BAIYIN].board_url == reverse("boards:board", args=["2019Q1"]) + f"?unit={province[BAIYIN].pk}"
    assert quarter.is_published


def test_an_unpublished_unit_shows_as_unpublished_without_names(client, province, people):
    client.force_login(people["province_dept"])
    html = client.get(page_url(province[PROVINCE])).content.decode()
    assert "未发布（已截止）" in html
    assert SECRET not in html and "99.00" not in html
    assert BoardEntry.objects.filter(branch_name=SECRET).exists()
    screen = client.get(page_url(province[PROVINCE], name="rollup:screen")).content.decode()
    assert SECRET not in screen and "未发布" in screen


def test_leadership_of_the_province_reads_it_too(client, province, people):
    client.force_login(people["province_leader"])
    assert client.get(page_url(province[PROVINCE])).status_code == 200
    assert client.get(page_url(province[BAIYIN])).status_code == 200


@pytest.mark.parametrize("who", ["baiyin_dept", "baiyin_secretary", "baiyin_inspector"])
def test_a_city_cannot_open_the_provinces_rollup(client, province, people, who):
    client.force_login(people[who])
    for name in ("rollup:page", "rollup:screen"):
        assert client.get(page_url(province[PROVINCE], name=name)).status_code == 404, name
    assert client.get(reverse("rollup:unit", args=[province[PROVINCE].pk])).status_code == 404
    assert client.post(page_url(province[PROVINCE], name="reports:rollup_export")).status_code == 404
    assert client.get(page_url(province[DINGXI])).status_code == 404  # a sibling is no better


def test_a_citys_dept_opens_its_own(client, province, people):
    client.force_login(people["baiyin_dept"])
    response = client.get(reverse("rollup:index"))
    assert response.status_code == 302 and response.url == page_url(province[BAIYIN])
    assert client.get(page_url(province[BAIYIN])).status_code == 200


def test_anonymous_goes_to_the_login_page(client, province):
    response = client.get(page_url(province[PROVINCE]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_code_is_404(client, province, people):
    client.force_login(people["province_dept"])
    assert client.get(page_url(province[PROVINCE], "2030Q1")).status_code == 404


def test_the_index_goes_to_the_newest_published_code_and_the_form_to_the_chosen_one(client, province, people):
    add_quarter(province[DINGXI], "2019Q2", Quarter.Status.SCORING)
    client.force_login(people["province_dept"])
    assert client.get(reverse("rollup:index")).url == page_url(province[PROVINCE])
    chosen = client.get(reverse("rollup:index"), {"unit": province[PROVINCE].pk, "code": "2019Q2"})
    assert chosen.url == page_url(province[PROVINCE], "2019Q2")


def test_the_filter_shows_only_the_unpublished(client, province, people):
    client.force_login(people["province_dept"])
    rows = client.get(page_url(province[PROVINCE]), {"state": "unpublished"}).context["page"].object_list
    assert [r.name for r in rows] == [TIANSHUI]


def test_the_big_screen_refreshes_itself_through_its_screenfuls(client, province, people):
    for n in range(9):
        publish_rows(
            add_quarter(add_unit(f"国网测试{n}供电公司", province[PROVINCE]), "2019Q1"),
            [Line("财务部党支部", "3", "92.00", 1, "red")],
        )
    client.force_login(people["province_dept"])
    url = page_url(province[PROVINCE], name="rollup:screen")
    first = client.get(url)
    assert len(first.context["page"].object_list) == 8
    assert f'<meta http-equiv="refresh" content="30; url={url}?page=2">' in first.content.decode()
    last = client.get(url, {"page": 2})
    assert len(last.context["page"].object_list) == 4
    assert f'content="30; url={url}?page=1"' in last.content.decode()


def test_the_excel_goes_through_the_export_queue(
    client, province, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORTS_ROOT = str(tmp_path / "reports")
    client.force_login(people["province_dept"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(province[PROVINCE], name="reports:rollup_export"))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.kind, job.params["unit"], job.quarter.code) == ("rollup", province[PROVINCE].pk, "2019Q1")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    assert job.download_name == f"{PROVINCE}-2019Q1-红蓝榜汇总.xlsx"
    download = client.get(reverse("reports:export_download", args=[job.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert wb.sheetnames == ["各单位", "总分分布", "各季度趋势"]
    # The title names the roll-up's unit, not the installation's company (the quarter is Baiyin's).
    assert wb["各单位"]["A1"].value.startswith(f"{PROVINCE} 2019Q1（各单位同一季度） 各考评单位红蓝榜汇总")
    rows = {r[0]: r for r in wb["各单位"].iter_rows(min_row=3, values_only=True)}
    red = "白银变电运检中心党支部、电力调度中心党总支部、财务部党支部"
    blue = "平川区供电公司党总支、客户服务中心党支部、鸿运物业分公司党支部、营销部党支部"  # Ⅱ's tie by name
    assert rows[BAIYIN][1:6] == ("已发布", 9, 1, red, blue)
    assert rows[TIANSHUI][1] == "未发布（已截止）" and SECRET not in str(rows[TIANSHUI])
