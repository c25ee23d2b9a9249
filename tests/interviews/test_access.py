"""Who sees which checklist: a secretary their own branch's only (404 for others' ids), 党建部 and
leadership everything, leadership read-only (403 on writes), other roles nothing."""

from __future__ import annotations

import pytest

from interviews.models import Evidence, ItemStatus
from tests import factories
from tests.helpers import make_user
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(secretary_user):
    return make_interview(branch=secretary_user.branch, n_items=1, **answered(status=ItemStatus.COMPLETED))


@pytest.fixture
def other():
    other_secretary = make_user("支部书记", username="other-secretary")
    branch = factories.BranchFactory(secretary=other_secretary)
    return make_interview(branch=branch, n_items=1, **answered(status=ItemStatus.COMPLETED))


def _evidence(item):
    return Evidence.objects.create(item=item, file="evidence/x.pdf", original_name="x.pdf", size=1, kind="pdf")


def _read_urls(interview):
    item = interview.items.get()
    return [
        f"/interviews/{interview.pk}/",
        f"/interviews/items/{item.pk}/",
        f"/interviews/evidence/{_evidence(item).pk}/",
    ]


def _write_posts(interview):
    item = interview.items.get()
    return [
        (f"/interviews/{interview.pk}/schedule/", {"scheduled_at": "2030-01-02T09:00", "place": "三楼"}),
        (f"/interviews/{interview.pk}/minutes/", {"minutes": "x"}),
        (f"/interviews/{interview.pk}/items/add/", {"description": "x"}),
        (f"/interviews/{interview.pk}/look-backs/add/", {"scheduled_on": "2030-02-01"}),
        (f"/interviews/items/{item.pk}/answer/", {"measure": "m", "deadline": "2031-01-01", "responsible": "r"}),
        (f"/interviews/items/{item.pk}/progress/", {"progress": "p", "completed": "on"}),
        (f"/interviews/items/{item.pk}/evidence/", {}),
        (f"/interviews/items/{item.pk}/accept/", {}),
        (f"/interviews/items/{item.pk}/return/", {"reason": "r"}),
    ]


def test_the_secretary_reads_their_own_checklist(client, secretary_user, own):
    client.force_login(secretary_user)
    for url in _read_urls(own)[:2]:
        assert client.get(url).status_code == 200, url


def test_another_branchs_ids_are_404_to_the_secretary(client, secretary_user, own, other):
    client.force_login(secretary_user)
    for url in _read_urls(other):
        assert client.get(url).status_code == 404, url
    for url, data in _write_posts(other):
        assert client.post(url, data).status_code == 404, url
    item = other.items.get()
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_the_list_shows_the_secretary_only_their_own(client, secretary_user, own, other):
    client.force_login(secretary_user)
    body = client.get("/interviews/").content.decode()
    assert own.branch.name in body
    assert other.branch.name not in body


def test_the_secretary_cannot_do_the_departments_part(client, secretary_user, own):
    client.force_login(secretary_user)
    dept_only = [
        p for p in _write_posts(own) if "answer" not in p[0] and "progress" not in p[0] and "evidence" not in p[0]
    ]
    for url, data in dept_only:
        assert client.post(url, data).status_code == 403, url
    assert own.items.get().status == ItemStatus.COMPLETED
    assert client.get("/interviews/overview/").status_code == 403


def test_leadership_reads_everything_but_writes_nothing(client, leader_user, own, other):
    client.force_login(leader_user)
    for interview in (own, other):
        for url in _read_urls(interview)[:2]:
            assert client.get(url).status_code == 200, url
        for url, data in _write_posts(interview):
            assert client.post(url, data).status_code == 403, url
    assert client.get("/interviews/overview/").status_code == 200


def test_the_department_cannot_answer_for_the_branch(client, dept_user, own):
    client.force_login(dept_user)
    item = own.items.get()
    response = client.post(
        f"/interviews/items/{item.pk}/answer/", {"measure": "m", "deadline": "2031-01-01", "responsible": "r"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["检查组成员", "系统管理员", None])
def test_other_roles_see_nothing(client, role, own):
    user = make_user(role, username=f"u-{role}")
    client.force_login(user)
    for url in _read_urls(own):
        assert client.get(url).status_code == 404, url
    assert client.get("/interviews/").status_code == 403
    assert client.get("/interviews/overview/").status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, own):
    response = client.get(f"/interviews/{own.pk}/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_writes_need_post(client, dept_user, own):
    client.force_login(dept_user)
    item = own.items.get()
    assert client.get(f"/interviews/items/{item.pk}/accept/").status_code == 405
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED
