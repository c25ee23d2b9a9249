"""The points dashboard and the leadership overview against the published boards of the demo."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from boards.models import BoardEntry, BoardScore
from boards.selectors import published_board
from boards.services import quarter_publish
from branches.models import Branch
from dashboards.selectors import branch_rows, category_means, indicator_meta, overview, published_quarters
from dashboards.stats import bin_labels, blue_streaks, histogram, indicator_losses, mean
from ratings.models import StarRating
from scoring.models import Quarter, Score, ScoreSheet
from scoring.services import quarter_create, quarter_transition
from tests.dashboards.helpers import download_through_the_queue

pytestmark = pytest.mark.django_db


def publish_2019q1(demo):
    return quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])


def publish_copy(code: str, source: Quarter, user) -> Quarter:
    """A further quarter whose scores are the source's, each branch 0.1 lower on its first indicator."""
    quarter = quarter_transition(quarter=quarter_create(code=code), to=Quarter.Status.SCORING)
    by_code = {i.code: i for i in quarter.indicators.all()}
    for sheet in ScoreSheet.objects.filter(quarter=source, group__isnull=False).prefetch_related("scores__indicator"):
        copy = ScoreSheet.objects.create(quarter=quarter, branch=sheet.branch, status=ScoreSheet.Status.SUBMITTED)
        scores = sorted(sheet.scores.all(), key=lambda s: (s.indicator.category, s.indicator.position))
        Score.objects.bulk_create(
            Score(sheet=copy, indicator=by_code[s.indicator.code], value=s.value - (Decimal("0.1") if n == 0 else 0))
            for n, s in enumerate(scores)
        )
    return quarter_publish(quarter=quarter, user=user)


# --- the numbers ---------------------------------------------------------------------------------------


def test_the_demo_has_two_published_quarters_with_star_ratings(demo):
    assert [q.code for q in published_quarters()] == ["2018Q3", "2018Q4"]
    assert Quarter.objects.get(code="2019Q1").status == Quarter.Status.SCORING
    assert StarRating.objects.filter(quarter__code="2018Q4").count() == 32
    assert StarRating.objects.get(quarter__code="2018Q4", branch__name="白银变电运检中心党支部").stars == 5


def test_the_table_and_the_means_are_the_published_boards(demo):
    publish_2019q1(demo)
    quarters = published_quarters()
    rows = {row.branch.name: row for row in branch_rows(quarters, chunk=5)}  # several chunks
    means = category_means(quarters)
    assert len(rows) == 32
    for index, quarter in enumerate(quarters):
        for category in published_board(quarter):
            totals = [r.total for r in category.ranking]
            expected = (sum(totals, Decimal("0")) / len(totals)).quantize(Decimal("0.01"))
            assert means[category.category][index] == expected
            for result in category.ranking:
                cell = rows[result.name].cells[index]
                assert (cell.total, cell.rank, cell.board) == (result.total, result.rank, result.board)


def test_the_page_shows_the_boards_numbers_and_the_filters_work(client, demo):
    publish_2019q1(demo)
    client.force_login(demo.users["lingdao"])
    content = client.get("/boards/dashboard/?category=3&branch=0").content.decode()
    entry = BoardEntry.objects.get(quarter=demo.quarter, branch__name="营销部党支部")
    assert 'data-branch="营销部党支部"' in content and f'data-total="{entry.total}" data-rank="{entry.rank}"' in content
    assert 'data-branch="平川区供电公司党总支"' not in content  # category Ⅰ filtered out
    unit = Branch.objects.get(name="平川区供电公司党总支").unit
    content = client.get(f"/boards/dashboard/?unit={unit.pk}&branch=0").content.decode()
    assert content.count('<tr data-branch="') == 1


def test_a_secretary_sees_their_branchs_trend_stars_and_member_ranking(client, demo):
    client.force_login(demo.users["shuji"])
    content = client.get("/boards/dashboard/").content.decode()
    assert "平川区供电公司党总支" in content and 'id="dashboard-trend-chart"' in content
    assert 'id="dashboard-ranks-chart"' in content and 'id="dashboard-losses-chart"' in content
    assert 'data-year="2018"' in content and "★☆☆☆☆" in content  # one star for 2018
    assert 'id="dashboard-member-ranking"' in content and "2018Q4" in content
    assert 'id="dashboard-trend-table"' in content and 'data-quarter="2018Q4"' in content
    assert "<script>" not in content  # data via json_script only
    assert 'id="dashboard-trend-data" type="application/json"' in content


def test_the_branch_trend_is_drawn_against_its_category_mean(client, demo):
    client.force_login(demo.users["shuji"])
    response = client.get("/boards/dashboard/")
    trend = response.context["trend"]
    pingchuan = BoardEntry.objects.get(quarter__code="2018Q4", branch__name="平川区供电公司党总支")
    last = trend.points[-1]
    assert (last.total, last.rank, last.ranked_count) == (pingchuan.total, pingchuan.rank, 9)
    assert last.category_mean == response.context["means_raw"]["1"][-1]
    assert trend.losses[0].lost >= trend.losses[-1].lost


def test_the_dashboards_queries_are_pinned_and_do_not_grow_with_quarters(client, demo, django_assert_num_queries):
    client.force_login(demo.users["shuji"])
    publish_2019q1(demo)
    publish_copy("2019Q2", demo.quarter, demo.users["dangjian"])
    assert len(published_quarters()) == 4
    # The same 21 queries (18 once the published quarters' sums are kept) as with two quarters:
    # see tests/dashboards/test_query_counts.py for each one named.
    with django_assert_num_queries(21):
        client.get("/boards/dashboard/")
    with django_assert_num_queries(18):
        client.get("/boards/dashboard/")


# --- the leadership overview ------------------------------------------------------------------------------


def test_the_overview_counts_the_published_board(client, demo):
    quarter = publish_2019q1(demo)
    view = overview(quarter)
    # The database's sums are those of the pure function over every ranked branch's scores.
    ranked = BoardEntry.objects.filter(quarter=quarter, status=BoardEntry.Status.RANKED).values("branch_id")
    scores: dict[int, dict[int, Decimal]] = {}
    for branch_id, indicator_id, value in BoardScore.objects.filter(quarter=quarter, branch_id__in=ranked).values_list(
        "branch_id", "indicator_id", "value"
    ):
        scores.setdefault(branch_id, {})[indicator_id] = value
    assert view.losses == indicator_losses(scores.values(), indicator_meta([quarter]), limit=10)
    for distribution, category in zip(view.distributions, published_board(quarter), strict=True):
        assert distribution.counts == histogram([r.total for r in category.ranking])
        assert distribution.mean == mean([r.total for r in category.ranking])
    for distribution, category in zip(view.distributions, published_board(quarter), strict=True):
        assert distribution.n == len(category.ranking) == sum(distribution.counts)
        assert distribution.high == category.ranking[0].total
    assert view.ranked == 32
    streaks = {s.branch.name: s.quarters for s in view.streaks}
    assert streaks == {"营销部党支部": 3, "鸿运物业分公司党支部": 2}


def test_the_overview_shows_open_rectifications_and_streaks(client, demo, django_assert_num_queries):
    from interviews.models import Interview, RectificationItem

    quarter = Quarter.objects.get(code="2018Q4")
    interview = Interview.objects.create(quarter=quarter, branch=Branch.objects.get(name="营销部党支部"))
    RectificationItem.objects.create(interview=interview, description="党课质量不高")
    RectificationItem.objects.create(interview=interview, description="已整改", status="accepted")
    client.force_login(demo.users["lingdao"])
    with django_assert_num_queries(14):  # named in tests/dashboards/test_query_counts.py
        content = client.get("/boards/dashboard/overview/?quarter=2018Q4").content.decode()
    assert '<div class="fs-3" id="overview-open-items">1</div>' in content
    assert 'data-branch="营销部党支部"' in content and "连续 2 个季度" in content
    assert 'id="overview-distribution-chart"' in content and 'id="overview-losses-table"' in content


@pytest.mark.parametrize(
    ("username", "status", "export"),
    [("lingdao", 200, 302), ("dangjian", 200, 302), ("shuji", 403, 403), ("jiancha1", 403, 403)],
)
def test_the_overview_is_for_leadership_and_the_dept(client, demo, username, status, export):
    client.force_login(demo.users[username])
    assert client.get("/boards/dashboard/overview/").status_code == status
    response = client.post(reverse("reports:export_create"), {"kind": "overview", "quarter": "2018Q4"})
    assert response.status_code == export


def test_an_unpublished_quarter_has_no_overview(client, demo):
    client.force_login(demo.users["lingdao"])
    assert client.get("/boards/dashboard/overview/?quarter=2019Q1").status_code == 404


# --- Excel ---------------------------------------------------------------------------------------------------


def test_the_dashboard_exports_its_tables_to_excel(client, demo, reports_root, django_capture_on_commit_callbacks):
    client.force_login(demo.users["shuji"])
    pingchuan = Branch.objects.get(name="平川区供电公司党总支")
    page = client.get("/boards/dashboard/?category=1").content.decode()
    form = page.split('id="dashboard-export-form"')[1].split("</form>")[0]  # what the page's button posts
    assert 'action="/reports/exports/"' in page and 'name="kind" value="dashboard"' in form
    assert 'name="category" value="1"' in form and f'name="branch" value="{pingchuan.pk}"' in form
    job, response = download_through_the_queue(
        client,
        django_capture_on_commit_callbacks,
        kind="dashboard",
        quarter="2018Q4",
        category="1",
        branch=str(pingchuan.pk),
    )
    assert job.params == {"category": "1", "branch": str(pingchuan.pk)} and job.requested_by == demo.users["shuji"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["总分与名次", "类别平均", "本组织走势", "失分指标", "星级"]
    table = {row[0]: row for row in wb["总分与名次"].iter_rows(min_row=3, values_only=True)}
    assert len(table) == 9
    entry = BoardEntry.objects.get(quarter__code="2018Q4", branch__name="平川区供电公司党总支")
    row = table["平川区供电公司党总支"]
    assert (Decimal(str(row[6])).quantize(Decimal("0.01")), row[7]) == (entry.total, entry.rank)
    means = list(wb["类别平均"].iter_rows(min_row=3, values_only=True))
    assert [m[0] for m in means] == ["2018Q3", "2018Q4"]


def test_the_overview_exports_to_excel(client, demo, reports_root, django_capture_on_commit_callbacks):
    client.force_login(demo.users["lingdao"])
    assert 'id="overview-export-form"' in client.get("/boards/dashboard/overview/?quarter=2018Q4").content.decode()
    _job, response = download_through_the_queue(
        client, django_capture_on_commit_callbacks, kind="overview", quarter="2018Q4"
    )
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["总分分布", "失分指标", "连续蓝榜"]
    counts = list(wb["总分分布"].iter_rows(min_row=3, values_only=True))
    assert [sum(r[1:7]) for r in counts] == [9, 11, 12]
    assert [r[0] for r in wb["连续蓝榜"].iter_rows(min_row=3, values_only=True)] == ["营销部党支部"]


def test_a_dashboard_download_is_its_requesters_own(client, demo, reports_root, django_capture_on_commit_callbacks):
    client.force_login(demo.users["jiancha1"])  # may not use the reports, may download the dashboard
    job, response = download_through_the_queue(
        client, django_capture_on_commit_callbacks, kind="dashboard", quarter="2018Q4", unit_q="平川"
    )
    assert response.status_code == 200 and job.params == {"unit_q": "平川"}
    assert client.get(job.get_absolute_url()).status_code == 200
    for other, status in (("shuji", 403), ("lingdao", 404)):  # not theirs: 403 without the reports, 404 with
        client.force_login(demo.users[other])
        assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == status


# --- the pure helpers -----------------------------------------------------------------------------------------


def test_histogram_bins_include_their_lower_edge():
    assert bin_labels() == ["<85", "85–88", "88–91", "91–94", "94–97", "≥97"]
    assert histogram([Decimal(x) for x in ("84.99", "85", "87.99", "97", "100")]) == [1, 2, 0, 0, 0, 2]


def test_indicator_losses_count_by_code_across_quarters():
    meta = {
        1: ("S1", "组织建设", Decimal("10")),
        2: ("S1", "组织建设", Decimal("10")),
        3: ("S2", "组织生活", Decimal("5")),
    }
    rows = indicator_losses([{1: Decimal("9"), 3: Decimal("5")}, {2: Decimal("7.5"), 3: Decimal("4")}], meta)
    assert [(r.code, r.branches, r.lost, r.scored) for r in rows] == [
        ("S1", 2, Decimal("3.5"), 2),
        ("S2", 1, Decimal("1"), 2),
    ]


def test_blue_streaks_count_back_from_the_last_quarter():
    assert blue_streaks([1, 2, 3], {1: {7, 8}, 2: {7}, 3: {7, 9}}) == {7: 3, 9: 1}
    assert blue_streaks([1, 2, 3], {1: {7}, 3: {7}}) == {7: 1}
    assert blue_streaks([], {}) == {}


# --- home page ----------------------------------------------------------------------------------------------


def test_the_home_card_shows_the_secretary_their_stars_and_ledger(client, demo):
    client.force_login(demo.users["shuji"])
    content = client.get("/").content.decode()
    assert "积分看板与星级党支部" in content and "本组织星级：2018年度 ★☆☆☆☆" in content
    pingchuan = Branch.objects.get(name="平川区供电公司党总支")
    assert f'href="/branches/{pingchuan.pk}/points/"' in content
    client.force_login(demo.users["jiancha1"])
    content = client.get("/").content.decode()
    assert "积分看板与星级党支部" in content and "/points/" not in content and "党委总览" not in content
    client.force_login(demo.users["lingdao"])
    assert 'href="/boards/dashboard/overview/"' in client.get("/").content.decode()


def test_no_card_before_anything_is_published(client, secretary_user):
    client.force_login(secretary_user)
    assert "积分看板与星级党支部" not in client.get("/").content.decode()
