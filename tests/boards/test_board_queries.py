"""The board's pages cost a fixed number of queries, whatever the number of branches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.services import quarter_publish
from tests.boards.helpers import score_quarter

pytestmark = pytest.mark.django_db

# Published board page: session, user, the user's roles (3); the quarter (1); boards + unranked rows (1);
# the published indicators (1); per category a count and a page of its ranking (2 × 3); the shown
# rows' published scores (1); and the savepoint pair of the request's transaction (ATOMIC_REQUESTS,
# 2). Plus the quarter's star-rated branches (1, ratings.selectors.quarter_star_levels) and the
# viewer's evaluating unit (1, issue 17: which unit's quarter the code names, and who may read it).
# The preview: PREVIEW_BOARD_QUERIES.
PUBLISHED_BOARD_QUERIES = 17
BOARD_QUERIES = PUBLISHED_BOARD_QUERIES


def build(quarter, per_category: int, prefix: str = "支部"):
    from branches.models import Branch

    Branch.objects.update(is_active=False)  # earlier sizes' branches take no part in this quarter
    fractions = [f"0.{50 + (n % 49):02d}" for n in range(per_category)]
    return score_quarter(quarter, {"1": fractions, "2": fractions, "3": fractions}, prefix=prefix)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("published", [True, False])
def test_the_board_page_does_not_grow_with_the_number_of_branches(client, dept_user, published):
    from tests.factories import QuarterFactory

    counts = []
    for n, size in enumerate((3, 70)):  # 70 per category: more than one page of 50
        quarter = QuarterFactory(code=f"204{n}Q1", status="scoring")
        build(quarter, size, prefix=f"第{n}批支部")
        if published:
            quarter_publish(quarter=quarter, user=dept_user)
        client.force_login(dept_user)
        counts.append(count_queries(client, f"/boards/{quarter.code}/"))
        counts.append(count_queries(client, f"/boards/{quarter.code}/?q=支部&p1=2"))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert counts[0] == (PUBLISHED_BOARD_QUERIES if published else PREVIEW_BOARD_QUERIES)


def test_the_published_board_page_query_bound(client, dept_user, scoring_quarter, django_assert_num_queries):
    build(scoring_quarter, 60)
    quarter_publish(quarter=scoring_quarter, user=dept_user)
    client.force_login(dept_user)
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(f"/boards/{scoring_quarter.code}/?p2=2")
    content = response.content.decode()
    assert "第 2 / 2 页" in content
    assert content.count('data-rank="') == 50 + 10 + 50  # a page of Ⅰ and Ⅲ, the second page of Ⅱ


def test_the_ranking_search_finds_a_branch_by_name(client, dept_user, scoring_quarter):
    build(scoring_quarter, 60)
    quarter_publish(quarter=scoring_quarter, user=dept_user)
    client.force_login(dept_user)
    content = client.get(f"/boards/{scoring_quarter.code}/?q=支部2-042").content.decode()
    assert content.count('data-rank="') == 1 and 'data-branch="支部2-042"' in content


@pytest.mark.parametrize("url", ["/boards/", "/boards/history/", "/boards/history/?q=支部&category=2", "/"])
def test_list_pages_do_not_grow_with_the_number_of_branches(client, dept_user, url):
    from tests.factories import QuarterFactory

    counts = []
    for n, size in enumerate((3, 60)):
        quarter = QuarterFactory(code=f"205{n}Q1", status="scoring")
        build(quarter, size, prefix=f"第{n}批支部")
        quarter_publish(quarter=quarter, user=dept_user)
        client.force_login(dept_user)
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts


def test_a_branch_page_costs_a_fixed_number_of_queries(client, dept_user, scoring_quarter, django_assert_num_queries):
    branches = build(scoring_quarter, 40)
    quarter_publish(quarter=scoring_quarter, user=dept_user)
    client.force_login(dept_user)
    # A published quarter's page reads its snapshot: the row with its category's ranked count, the
    # branch's published scores, its category's published means and the published columns.
    with django_assert_num_queries(PUBLISHED_BRANCH_QUERIES):
        client.get(f"/boards/branch/{branches['支部1-001'].pk}/")


# --- exact counts, each query named ---------------------------------------------------------------
# Every page below: the savepoint pair of the request's transaction (ATOMIC_REQUESTS, 2), the
# session and the user (2), the user's roles (1, the menu), the user's evaluating unit (1, issue 17:
# the units the viewer reaches, branches.units.home_unit).

# board_compute on PostgreSQL: one row per branch (sums, points, exclusion joined), the scheme's
# required indicators, the adjustment table (3). On SQLite, the embedded default, the scores are
# summed in Python (boards.selectors.board.sums_in_database): the indicators, the scores, the
# points, the exclusions, the branches, the adjustment table (6) — and its rows carry their
# scores already, so the board page loads none for its shown rows. Neither grows with the size.
POSTGRES = connection.vendor == "postgresql"
BOARD_COMPUTE = 3 if POSTGRES else 6
PAGE_SCORES = 1 if POSTGRES else 0
# The board page of an unpublished quarter: + the quarter (1), the scheme's columns (1),
# board_compute; the shown rows' indicator scores (PAGE_SCORES).
PREVIEW_BOARD_QUERIES = 6 + 1 + 1 + BOARD_COMPUTE + PAGE_SCORES
# The publication desk of an unpublished quarter: + the quarter (1), board_compute, the
# exclusions listed (1), uncounted_sheets: exclusions, unsubmitted sheets, branches without a sheet (3).
PREVIEW_DESK_QUERIES = 6 + 1 + BOARD_COMPUTE + 1 + 3
# The publication desk of a published quarter: + the quarter (1), published_summary: the boards'
# and unranked rows, the ranked count per category (2); the exclusions listed (1).
PUBLISHED_DESK_QUERIES = 6 + 1 + 2 + 1
# A branch's page, unpublished quarter: + the branch (1), the quarter (1), board_compute of its
# category (3), the scheme's columns (1), the branch's own group scores (1), the category's ranked
# branches' score sums (1), the problems (1), the branch's history (1), the quarter list (1), its
# star ratings (1, star_tags).
# On SQLite the branch's result is board_compute of every score of its category and the columns
# (the own scores and the means come from that board).
BRANCH_RESULT = 3 + 1 + 1 + 1 if POSTGRES else BOARD_COMPUTE + 1
PREVIEW_BRANCH_QUERIES = 6 + 1 + 1 + BRANCH_RESULT + 1 + 1 + 1 + 1
# A branch's page, published quarter: + the branch (1), the quarter (1), its row with the ranked
# count (1), its published scores (1), the category's published means (1), the published columns
# (1), the problems (1), the branch's history (1), the quarter list (1), its star ratings (1), the
# guidance's few rows of the category's ranking (1).
PUBLISHED_BRANCH_QUERIES = 6 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1


@pytest.mark.parametrize("size", [3, 70])
def test_the_unpublished_pages_cost_exactly_their_queries(client, dept_user, django_assert_num_queries, size):
    from tests.factories import QuarterFactory

    quarter = QuarterFactory(code="2060Q1", status="scoring")
    branches = build(quarter, size)
    client.force_login(dept_user)
    own = branches["支部1-002"].pk
    for url, queries in [
        (f"/boards/{quarter.code}/", PREVIEW_BOARD_QUERIES),
        (f"/boards/{quarter.code}/preview/", PREVIEW_DESK_QUERIES),
        (f"/boards/branch/{own}/?quarter={quarter.code}", PREVIEW_BRANCH_QUERIES),
    ]:
        client.get(url)  # warm the translation catalog
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [3, 70])
def test_the_published_pages_cost_exactly_their_queries(client, dept_user, django_assert_num_queries, size):
    from tests.factories import QuarterFactory

    quarter = QuarterFactory(code="2061Q1", status="scoring")
    branches = build(quarter, size)
    quarter_publish(quarter=quarter, user=dept_user)
    client.force_login(dept_user)
    own = branches["支部1-002"].pk
    for url, queries in [
        (f"/boards/{quarter.code}/", PUBLISHED_BOARD_QUERIES),
        (f"/boards/{quarter.code}/preview/", PUBLISHED_DESK_QUERIES),
        (f"/boards/branch/{own}/?quarter={quarter.code}", PUBLISHED_BRANCH_QUERIES),
    ]:
        client.get(url)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
