"""Local accounts: on by default (the embedded default and the demo use them); AUTH_LOCAL_LOGIN=false
leaves a local password only to emergency administrators."""

from __future__ import annotations

import pytest

from branches import roles
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Local-Pass-2019"


def local_user(username: str, **kwargs):
    user = make_user(roles.ADMIN, username=username, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username: str):
    return client.post("/login/", {"username": username, "password": PASSWORD})


def test_local_accounts_sign_in_by_default(client):
    local_user("admin")
    assert sign_in(client, "admin").status_code == 302


def test_with_local_login_off_an_ordinary_local_account_is_refused(client, settings):
    settings.AUTH_LOCAL_LOGIN = False
    local_user("admin")
    response = sign_in(client, "admin")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_local_login_off_an_emergency_administrator_still_signs_in(client, settings):
    settings.AUTH_LOCAL_LOGIN = False
    local_user("yingji", is_emergency_admin=True)
    assert sign_in(client, "yingji").status_code == 302


def test_switching_local_login_off_ends_the_sessions_opened_with_a_local_password(client, settings):
    local_user("admin")
    assert sign_in(client, "admin").status_code == 302
    assert client.get("/").status_code == 200
    settings.AUTH_LOCAL_LOGIN = False
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_flag_is_read_from_the_environment(monkeypatch):
    import importlib

    from baiyin_eval.settings import auth

    monkeypatch.setenv("AUTH_LOCAL_LOGIN", "false")
    try:
        assert importlib.reload(auth).AUTH_LOCAL_LOGIN is False
        monkeypatch.setenv("AUTH_LOCAL_LOGIN", "true")
        assert importlib.reload(auth).AUTH_LOCAL_LOGIN is True
    finally:
        monkeypatch.delenv("AUTH_LOCAL_LOGIN")
        importlib.reload(auth)


def test_the_emergency_flag_is_in_the_user_admin(client, admin_user):
    client.force_login(admin_user)
    page = client.get(f"/admin/branches/user/{admin_user.pk}/change/").content.decode()
    assert 'name="is_emergency_admin"' in page and "应急管理员" in page


def test_local_login_off_without_any_directory_is_warned_about_by_the_system_check(settings):
    from accounts.checks import local_login_off_needs_a_directory

    settings.AUTH_LOCAL_LOGIN = False
    settings.LDAP_ENABLED = settings.OIDC_ENABLED = False
    assert [w.id for w in local_login_off_needs_a_directory()] == ["accounts.W001"]
    settings.OIDC_ENABLED = True
    assert local_login_off_needs_a_directory() == []
    settings.AUTH_LOCAL_LOGIN, settings.OIDC_ENABLED = True, False
    assert local_login_off_needs_a_directory() == []
