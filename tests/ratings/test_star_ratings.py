"""Star ratings stored at publication (a follow-up), kept per year, shown on the pages; the rule
edited by 党建部 only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ratings.models import StarLevel, StarRating
from ratings.selectors import star_levels, yearly_ratings
from ratings.services import star_ratings_store
from tests.ratings.helpers import publish_quarter

pytestmark = pytest.mark.django_db


def test_publication_rates_every_branch_on_the_board(three_branches, dept_user, django_capture_on_commit_callbacks):
    a, b, c = three_branches
    with django_capture_on_commit_callbacks(execute=True):
        quarter = publish_quarter("2031Q1", {a: "0.96", b: "0.9", c: "0.8"}, dept_user)
    ratings = {r.branch_id: r for r in StarRating.objects.filter(quarter=quarter)}
    assert set(ratings) == {a.pk, b.pk, c.pk}
    # Defaults: 5★ ≥ 95 with no blue; c is last (blue board) with 80 → no level reached.
    assert ratings[a.pk].stars == 5 and ratings[a.pk].average == Decimal("96.00")
    assert ratings[c.pk].stars == 0 and ratings[c.pk].blue_count == 1
    assert ratings[a.pk].year == 2031 and ratings[a.pk].rule[0] == [5, "95.00", True]


def test_the_follow_up_may_run_twice(three_branches, dept_user):
    a, b, c = three_branches
    quarter = publish_quarter("2031Q1", {a: "0.96", b: "0.9", c: "0.8"}, dept_user)
    assert star_ratings_store(quarter=quarter) == 3
    assert star_ratings_store(quarter=quarter) == 0
    assert StarRating.objects.filter(quarter=quarter).count() == 3


def test_a_blue_board_in_the_window_blocks_five_stars(three_branches, dept_user):
    a, b, c = three_branches
    # b is last once (blue) with a high total, then first: its average reaches 95 but it was blue.
    q1 = publish_quarter("2031Q1", {a: "0.97", b: "0.95", c: "0.96"}, dept_user)
    q2 = publish_quarter("2031Q2", {a: "0.94", b: "0.96", c: "0.95"}, dept_user)
    for q in (q1, q2):
        star_ratings_store(quarter=q)
    rating = StarRating.objects.get(quarter=q2, branch=b)
    assert rating.average == Decimal("95.50") and rating.blue_count == 1
    assert rating.stars == 2  # 5★, 4★, 3★ are closed to a blue board by default; 2★ asks for 89


def test_the_rating_is_kept_per_year_and_not_changed_by_a_later_rule(three_branches, dept_user):
    a, b, c = three_branches
    for code, fraction in (("2031Q3", "0.96"), ("2031Q4", "0.96"), ("2032Q1", "0.90")):
        star_ratings_store(quarter=publish_quarter(code, {a: fraction, b: "0.85", c: "0.8"}, dept_user))
    years = yearly_ratings(a.pk)
    assert [(r.year, r.quarter.code) for r in years] == [(2032, "2032Q1"), (2031, "2031Q4")]
    assert years[1].stars == 5
    StarLevel.objects.update_or_create(stars=5, defaults={"min_average": Decimal("99"), "no_blue": True})
    assert StarRating.objects.get(quarter__code="2031Q4", branch=a).stars == 5
    assert star_levels()[0].min_average == Decimal("99")


# --- the rule page -----------------------------------------------------------------------------------


def rule_post(**changes):
    data = {}
    for level in star_levels():
        data[f"min_average_{level.stars}"] = str(level.min_average)
        if level.no_blue:
            data[f"no_blue_{level.stars}"] = "on"
    data.update(changes)
    return data


def test_everyone_reads_the_rule_and_only_the_dept_sees_the_form(client, secretary_user, dept_user):
    client.force_login(secretary_user)
    content = client.get("/boards/stars/").content.decode()
    assert "星级党支部评定标准" in content and "star-rule-form" not in content
    client.force_login(dept_user)
    assert "star-rule-form" in client.get("/boards/stars/").content.decode()


def test_the_dept_edits_the_thresholds(client, dept_user):
    client.force_login(dept_user)
    response = client.post("/boards/stars/save/", rule_post(min_average_5="96.5"), follow=True)
    assert "星级评定标准已保存（修改 1 项）" in response.content.decode()
    assert StarLevel.objects.get(stars=5).min_average == Decimal("96.5")
    assert StarLevel.objects.get(stars=5).updated_by == dept_user


def test_thresholds_out_of_order_are_refused_next_to_the_field(client, dept_user):
    client.force_login(dept_user)
    response = client.post("/boards/stars/save/", rule_post(min_average_4="99"))
    assert response.status_code == 400
    assert "星级越高，要求的平均总分应越高" in response.content.decode()
    assert not StarLevel.objects.exists()
    response = client.post("/boards/stars/save/", rule_post(min_average_3="abc"))
    assert response.status_code == 400 and "请输入数字" in response.content.decode()


@pytest.mark.parametrize("role", ["leader_user", "secretary_user", "inspector_user"])
def test_others_may_not_edit_the_rule(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post("/boards/stars/save/", rule_post(min_average_5="80")).status_code == 403
    assert not StarLevel.objects.exists()


def test_the_rule_save_is_a_post(client, dept_user):
    client.force_login(dept_user)
    assert client.get("/boards/stars/save/").status_code == 405


# --- shown on the shared pages ----------------------------------------------------------------------


def test_the_branch_page_and_the_board_show_the_stars(client, three_branches, dept_user, leader_user):
    a, b, c = three_branches
    quarter = publish_quarter("2031Q1", {a: "0.96", b: "0.9", c: "0.8"}, dept_user)
    star_ratings_store(quarter=quarter)
    client.force_login(leader_user)
    branch_page = client.get(f"/boards/branch/{a.pk}/").content.decode()
    assert 'id="branch-stars"' in branch_page and "2031年度" in branch_page and "★★★★★" in branch_page
    board = client.get("/boards/2031Q1/").content.decode()
    assert "星级党支部" in board and "★★★★★</span>星级支部1" in board


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_ratings_are_stored_by_a_real_worker(celery_worker_redis, three_branches):
    """The follow-up goes through Redis to a worker, as in production (skipped without Redis)."""
    import time

    from tests.helpers import make_user

    dept = make_user("党建部", username="dept-worker")
    a, b, c = three_branches
    quarter = publish_quarter("2031Q1", {a: "0.96", b: "0.9", c: "0.8"}, dept)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and StarRating.objects.filter(quarter=quarter).count() < 3:
        time.sleep(0.2)
    assert StarRating.objects.get(quarter=quarter, branch=a).stars == 5


def test_the_admin_shows_the_new_rows_but_does_not_edit_them(client, admin_user):
    client.force_login(admin_user)
    for url in (
        "/admin/ratings/starlevel/",
        "/admin/ratings/starrating/",
    ):
        assert client.get(url).status_code == 200, url
        assert client.get(url + "add/").status_code == 403, url
