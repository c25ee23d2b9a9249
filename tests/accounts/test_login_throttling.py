"""django-axes: failures count per username *and* address; behind the reverse proxy the address is
the one our proxy saw, and a forged X-Forwarded-For does not choose it; the lock lifts after the
cool-off; the lockout page says so in Chinese."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt

from audit.models import AuditEvent
from branches import roles
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-2019"
PROXY = "10.0.0.2"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.5


@pytest.fixture
def behind_proxy(settings, axes_on):
    """Our TLS proxy in front, named in DJANGO_TRUSTED_PROXIES."""
    settings.TRUSTED_PROXIES = [PROXY]


@pytest.fixture
def shuji(db):
    user = make_user(roles.SECRETARY, username="shuji")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, password, *, address="198.51.100.7", forwarded=None, username="shuji"):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_five_failures_lock_the_username_at_that_address_with_a_chinese_page(client, shuji, axes_on):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "暂时锁定" in locked.content.decode() and "30 分钟" in locked.content.decode()
    # Even the right password is refused now, from that address.
    assert attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_does_not_reach_another_address_or_another_username(client, shuji, axes_on):
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD, address="198.51.100.8").status_code == 302
    client.logout()
    other = make_user(roles.LEADER, username="lingdao")
    other.set_password(PASSWORD)
    other.save()
    assert attempt(client, PASSWORD, username="lingdao").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, shuji, axes_on):
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31))
    assert attempt(client, PASSWORD).status_code == 302


def test_behind_the_proxy_clients_are_told_apart_by_the_address_the_proxy_saw(client, shuji, behind_proxy):
    for _ in range(5):
        attempt(client, "wrong", address=PROXY, forwarded="203.0.113.5")
    assert attempt(client, PASSWORD, address=PROXY, forwarded="203.0.113.5").status_code == 429
    # Another office behind the same proxy is not locked out with it.
    assert attempt(client, PASSWORD, address=PROXY, forwarded="203.0.113.6").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_forged_forwarded_for_does_not_choose_the_address(client, shuji, behind_proxy):
    # The attacker sends "X-Forwarded-For: <victim>"; the proxy appends the attacker's real address.
    for _ in range(5):
        attempt(client, "wrong", address=PROXY, forwarded="203.0.113.6, 203.0.113.5")
    assert "203.0.113.6" not in set(AccessAttempt.objects.values_list("ip_address", flat=True))
    # The victim's office still logs in.
    assert attempt(client, PASSWORD, address=PROXY, forwarded="203.0.113.6").status_code == 302


def test_failed_and_successful_logins_are_audited_with_the_address(client, shuji, behind_proxy):
    attempt(client, "wrong", address=PROXY, forwarded="203.0.113.5")
    attempt(client, PASSWORD, address=PROXY, forwarded="203.0.113.5")
    failed, ok = AuditEvent.objects.order_by("pk")
    assert (failed.action, failed.actor_name, failed.address) == ("login_failed", "shuji", "203.0.113.5")
    assert failed.actor is None
    assert "wrong" not in str(failed.detail)
    assert (ok.action, ok.actor, ok.address) == ("login", shuji, "203.0.113.5")


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(client, shuji, behind_proxy):
    # Straight to gunicorn, bypassing the proxy: a new invented address at every attempt.
    for n in range(4):
        assert attempt(client, "wrong", address="198.51.100.9", forwarded=f"203.0.113.{n}").status_code == 200
    assert attempt(client, "wrong", address="198.51.100.9", forwarded="203.0.113.99").status_code == 429
    assert attempt(client, PASSWORD, address="198.51.100.9", forwarded="203.0.113.100").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}
    assert set(AuditEvent.objects.values_list("address", flat=True)) == {"198.51.100.9"}
