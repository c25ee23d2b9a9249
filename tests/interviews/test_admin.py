"""The admin pages for interviews open, and item status is read-only there."""

from __future__ import annotations

import pytest

from interviews.models import Evidence, ItemStatus, Reminder
from tests.interviews.helpers import answered, make_interview

pytestmark = pytest.mark.django_db


def test_the_admin_pages_open(client, admin_user):
    interview = make_interview(n_items=2, **answered())
    item = interview.items.first()
    Evidence.objects.create(item=item, file="evidence/x.pdf", original_name="x.pdf", size=1, kind="pdf")
    Reminder.objects.create(item=item, user=admin_user, sent_on="2030-01-01", kind=Reminder.Kind.DUE_SOON)
    client.force_login(admin_user)
    for url in [
        "/admin/interviews/interview/",
        f"/admin/interviews/interview/{interview.pk}/change/",
        "/admin/interviews/rectificationitem/",
        f"/admin/interviews/rectificationitem/{item.pk}/change/",
        "/admin/interviews/lookback/",
        "/admin/interviews/reminder/",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_status_cannot_be_changed_in_the_admin(client, admin_user):
    item = make_interview(n_items=1, **answered()).items.get()
    client.force_login(admin_user)
    body = client.get(f"/admin/interviews/rectificationitem/{item.pk}/change/").content.decode()
    assert 'name="status"' not in body
    assert item.status == ItemStatus.IN_PROGRESS
