"""List pages stay at a fixed number of queries however many interviews, items and evidence there are."""

from __future__ import annotations

import pytest

from interviews.models import Evidence, ItemStatus
from tests import factories
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db


def _fill(n_interviews: int, n_items: int, secretary=None):
    quarter = factories.QuarterFactory(status="published")
    made = []
    for n in range(n_interviews):
        branch = secretary.branch if (secretary and n == 0) else factories.BranchFactory()
        interview = make_interview(branch=branch, quarter=quarter, n_items=n_items, **answered())
        for item in interview.items.all():
            Evidence.objects.create(item=item, file="evidence/x.pdf", original_name="x.pdf", size=1, kind="pdf")
        made.append(interview)
    return made


def _count(client, url, django_assert_num_queries, limit):
    # Every page: savepoint + release (ATOMIC_REQUESTS), session, user, the user's roles; then its own.
    with django_assert_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [1, 8])
def test_the_lists_and_overview(client, dept_user, size, django_assert_num_queries):
    _fill(size, 3)
    client.force_login(dept_user)
    # list: 5 + the reader's evaluating unit (issue 17: the units in reach), paginator count, one page
    # of interviews with their counts
    _count(client, "/interviews/", django_assert_num_queries, 8)
    # overview: 5 + the reader's evaluating unit (the units in reach), paginator count, a page of open
    # interviews with counts, item totals, closed count, each unit's last four quarters, their blue entries
    _count(client, "/interviews/overview/", django_assert_num_queries, 12)


@pytest.mark.parametrize("size", [1, 12])
def test_the_checklist_page(client, dept_user, size, django_assert_num_queries):
    interview = _fill(1, size)[0]
    client.force_login(dept_user)
    # 5 + interview, the reader's evaluating unit (issue 17), items with evidence counts, look-backs
    # (their results only when there are any: none here), the users of each of the schedule form's
    # two selects
    _count(client, f"/interviews/{interview.pk}/", django_assert_num_queries, 11)


@pytest.mark.parametrize("size", [1, 10])
def test_the_item_page(client, secretary_user, size, django_assert_num_queries):
    interview = _fill(1, 1, secretary=secretary_user)[0]
    item = interview.items.get()
    for n in range(size):
        Evidence.objects.create(item=item, file=f"evidence/{n}.pdf", original_name=f"{n}.pdf", size=1, kind="pdf")
        item.events.create(note=f"进展{n}", user=secretary_user)
    client.force_login(secretary_user)
    # 5 + the secretary's branches, item, events, evidence, the footer's unit (issue 17)
    _count(client, f"/interviews/items/{item.pk}/", django_assert_num_queries, 10)


@pytest.mark.parametrize("size", [1, 6])
def test_the_home_cards(client, secretary_user, dept_user, size, django_assert_num_queries):
    _fill(size, 3, secretary=secretary_user)
    from interviews.selectors import home_cards

    # the secretary: the user's branches, the user's roles, the branch's latest interviews with
    # their item counts
    with django_assert_num_queries(3):
        home_cards(secretary_user)
    # 党建部: the user's branches (none), the user's roles, the user's evaluating unit (issue 17: the
    # interviews in reach), the open interviews' count, the open items' overdue and awaiting counts,
    # the interviews to hold
    with django_assert_num_queries(6):
        home_cards(dept_user)


def test_the_accepted_state_is_counted(dept_user):
    from interviews.models import Interview
    from interviews.selectors import interviews_with_progress

    interview = make_interview(n_items=3, **answered(status=ItemStatus.ACCEPTED))
    interview.items.filter(position=1).update(status=ItemStatus.COMPLETED)
    row = interviews_with_progress(Interview.objects.filter(pk=interview.pk)).get()
    assert (row.n_items, row.n_accepted, row.n_completed) == (3, 2, 1)


def test_the_list_is_paginated(client, dept_user, monkeypatch):
    from interviews.views import lists as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = _fill(3, 1)
    client.force_login(dept_user)
    first = client.get("/interviews/").content.decode()
    second = client.get("/interviews/?page=2").content.decode()
    names = [i.branch.name for i in made]
    assert sum(n in first for n in names) == 2
    assert sum(n in second for n in names) == 1
    assert "第 1 / 2 页" in first
