"""The dashboards' queries, pinned and named: a first visit, and one once the sums counted over
published quarters are kept (dashboards.selectors.cache). None of them grows with the number of
branches: the table is paged and the rest counted by the database. Every page (not the branch
search) also reads the viewer's evaluating unit (one query, issue 17: the published quarters shown
are that unit's)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_secretarys_dashboard_with_its_trend(client, demo, django_assert_num_queries):
    client.force_login(demo.users["shuji"])
    # savepoint, session, user, published quarters, the user's branch, category means, the table
    # (count, page, cells, star ratings), the trend (board rows, ranked counts, scores, published
    # indicators), the latest rated quarter, its star levels, the branch's yearly stars, its member
    # ranking, the user's roles (menu), release savepoint
    with django_assert_num_queries(21):
        assert client.get("/boards/dashboard/").status_code == 200
    # kept: the category means, the ranked counts, the star levels
    with django_assert_num_queries(18):
        assert client.get("/boards/dashboard/").status_code == 200


def test_the_dashboard_without_a_branch(client, demo, django_assert_num_queries):
    client.force_login(demo.users["lingdao"])
    # savepoint, session, user, published quarters, category means, the table (count, page, cells,
    # star ratings), the latest rated quarter, its star levels, the user's roles, release savepoint
    with django_assert_num_queries(14):
        assert client.get("/boards/dashboard/?branch=0").status_code == 200
    with django_assert_num_queries(12):  # the means and the star levels kept
        assert client.get("/boards/dashboard/?branch=0").status_code == 200


def test_a_search_for_a_branch_by_name(client, demo, django_assert_num_queries):
    client.force_login(demo.users["lingdao"])
    # the page without a branch (13) and the search, which finds several: they are listed
    with django_assert_num_queries(15):
        assert client.get("/boards/dashboard/?branch_q=党支部").status_code == 200
    # savepoint, session, user, the viewer's unit (the lookup lists only its branches), published
    # quarters, the search, release savepoint
    with django_assert_num_queries(7):
        assert client.get("/boards/dashboard/branches/?q=平川").status_code == 200


def test_the_overview(client, demo, django_assert_num_queries):
    client.force_login(demo.users["lingdao"])
    # savepoint, session, user, roles (access), the quarter, its published indicators, the
    # distribution and the losses as stored by publication (one row: no count over the quarter),
    # the published quarters in order, their blue boards, the streaks' branches as published, open
    # rectification items, the quarter selector, release savepoint
    with django_assert_num_queries(14):
        assert client.get("/boards/dashboard/overview/?quarter=2018Q4").status_code == 200
    with django_assert_num_queries(13):  # the stored figures kept in the cache
        assert client.get("/boards/dashboard/overview/?quarter=2018Q4").status_code == 200
