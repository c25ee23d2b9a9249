"""Accounts are deactivated, never deleted (the review deleted a user in the admin and 65 score-history
rows lost their author): not by the admin, not by a queryset, not through a cascade."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from branches.accounts import user_deactivate
from branches.models import AccountDeletionRefused, User
from scoring.models import ScoreChange
from tests.factories import ScoreSheetFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(inspector_user):
    sheet = ScoreSheetFactory()
    for n in range(3):
        ScoreChange.objects.create(sheet=sheet, user=inspector_user, field=ScoreChange.Field.NOTE, new=str(n))
    audit_record(user=inspector_user, action="board_publish")
    return inspector_user


def authors():
    return sorted(ScoreChange.objects.values_list("user__username", flat=True)) + list(
        AuditEvent.objects.filter(action="board_publish").values_list("actor__username", flat=True)
    )


def test_deleting_a_user_is_refused_and_history_keeps_its_author(author):
    with pytest.raises(AccountDeletionRefused):
        author.delete()
    with pytest.raises(AccountDeletionRefused):
        User.objects.filter(pk=author.pk).delete()
    with pytest.raises(AccountDeletionRefused):
        User.objects.all().delete()
    assert authors() == ["inspector"] * 4


def test_a_cascade_reaching_a_user_is_refused(author):
    # The Collector is what every cascade from another model goes through: it meets the guard.
    from django.db.models.deletion import Collector

    collector = Collector(using="default")
    collector.collect([author])
    with pytest.raises(AccountDeletionRefused), transaction.atomic():
        collector.delete()
    assert User.objects.filter(pk=author.pk).exists()


def test_the_admin_offers_deactivation_not_deletion(client, admin_user, author):
    client.force_login(admin_user)
    change = client.get(f"/admin/branches/user/{author.pk}/change/").content.decode()
    assert f"/admin/branches/user/{author.pk}/delete/" not in change
    assert client.get(f"/admin/branches/user/{author.pk}/delete/").status_code == 403
    assert client.post(f"/admin/branches/user/{author.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/branches/user/").content.decode()
    assert 'value="delete_selected"' not in changelist and 'value="deactivate_selected"' in changelist
    response = client.post(
        "/admin/branches/user/", {"action": "delete_selected", "_selected_action": [author.pk], "post": "yes"}
    )
    assert User.objects.filter(pk=author.pk).exists()
    response = client.post("/admin/branches/user/", {"action": "deactivate_selected", "_selected_action": [author.pk]})
    assert response.status_code == 302
    author.refresh_from_db()
    assert not author.is_active
    assert authors() == ["inspector"] * 4


def test_a_deactivated_account_cannot_log_in():
    user = make_user(None, username="leaver")
    user.set_password("Correct-Horse-2019")
    user.save()
    user_deactivate(user=user)
    assert authenticate(username="leaver", password="Correct-Horse-2019") is None
