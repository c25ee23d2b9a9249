"""LDAP sign-in through the login page against a real slapd (tests/accounts/slapd.py): the name, the
roles and the branch come from the directory at every login; a disabled or removed person is refused;
a directory that cannot be reached gives a plain message; django-axes counts wrong directory passwords."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from branches import roles
from branches.models import User
from tests import factories
from tests.accounts.helpers import configure_ldap
from tests.accounts.slapd import PASSWORD, TREE, Directory, free_port, make_certificates
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.20"


def sign_in(client, username: str, password: str = PASSWORD, address: str = ADDRESS):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def role_set(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


@pytest.fixture
def quarter(db):
    return factories.QuarterFactory(code="2019Q1")


@pytest.fixture
def finance_branch(db):
    return factories.BranchFactory(name="财务部党支部")


def test_a_member_of_the_dangjian_group_signs_in_with_the_directory_password_and_lands_on_the_dept_home(
    client, ldap_on, quarter, finance_branch
):
    response = sign_in(client, "zhangsan")
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    text = home.content.decode()
    assert "您好，张三" in text
    assert "（党建部）" in text  # the navbar's role list
    assert "检查组与分配" in text  # 党建部's card for the current quarter
    assert client.get(f"/scoring/q/{quarter.code}/groups/").status_code == 200

    user = User.objects.get(username="zhangsan")
    assert user.name == "张三" and user.email == "zhangsan@baiyin.test"
    assert role_set("zhangsan") == {roles.DEPT}
    assert user.branch == finance_branch  # AUTH_LDAP_BRANCH_ATTR=departmentNumber
    assert not user.has_usable_password()  # the directory keeps the password, not the portal


def test_a_role_removed_in_the_directory_is_gone_at_the_next_login_and_an_added_one_appears(client, ldap_on, quarter):
    assert sign_in(client, "zhangsan").status_code == 302
    assert role_set("zhangsan") == {roles.DEPT}
    client.post("/logout/")

    ldap_on.remove_member("dangjian", "zhangsan")
    ldap_on.add_member("lingdao", "zhangsan")
    assert sign_in(client, "zhangsan").status_code == 302
    assert role_set("zhangsan") == {roles.LEADER}
    assert "检查组与分配" not in client.get("/").content.decode()
    # No 党建部 rights any more: the dept-only pages refuse.
    assert client.get(f"/scoring/q/{quarter.code}/groups/").status_code in (403, 404)
    assert client.post(f"/scoring/q/{quarter.code}/transition/", {"to": "scoring"}).status_code in (403, 404)

    # Each sign-in's role changes are in the audit trail, against the account, from the person's address.
    user = User.objects.get(username="zhangsan")
    syncs = AuditEvent.objects.filter(action=AuditEvent.Action.DIRECTORY_SYNC).order_by("pk")
    assert [(e.target_id, e.actor_id, e.address) for e in syncs] == [(str(user.pk), user.pk, ADDRESS)] * 2
    assert [(e.detail["source"], e.detail["added"], e.detail["removed"]) for e in syncs] == [
        ("ldap", roles.DEPT, ""),
        ("ldap", roles.LEADER, roles.DEPT),
    ]
    client.post("/logout/")
    assert sign_in(client, "zhangsan").status_code == 302  # nothing changed: nothing recorded
    assert syncs.count() == 2


def test_roles_the_directory_does_not_map_stay_as_set_in_the_portal(client, ldap_on):
    """AUTH_LDAP_ROLE_GROUPS here maps 党建部, 检查组成员 and 党委领导; 支部书记 is kept in the portal."""
    assert sign_in(client, "wangwu").status_code == 302
    assert role_set("wangwu") == {roles.INSPECTOR, roles.LEADER}
    user = User.objects.get(username="wangwu")
    user.groups.add(Group.objects.get_or_create(name=roles.SECRETARY)[0], Group.objects.get(name=roles.DEPT))
    client.post("/logout/")
    assert sign_in(client, "wangwu").status_code == 302
    # 党建部 is the directory's to give: removed. 支部书记 is not mapped: kept.
    assert role_set("wangwu") == {roles.INSPECTOR, roles.LEADER, roles.SECRETARY}


def test_a_branch_set_in_the_portal_stays_when_the_directory_names_none(client, ldap_on):
    assert sign_in(client, "wangwu").status_code == 302
    branch = factories.BranchFactory(name="营销部党支部")
    User.objects.filter(username="wangwu").update(branch=branch)
    client.post("/logout/")
    assert sign_in(client, "wangwu").status_code == 302
    assert User.objects.get(username="wangwu").branch == branch


def test_a_disabled_account_is_refused(client, ldap_on):
    response = sign_in(client, "lisi")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="lisi").exists()


def test_a_person_removed_from_the_directory_cannot_sign_in_any_more(client, ldap_on):
    assert sign_in(client, "zhangsan").status_code == 302
    client.post("/logout/")
    ldap_on.delete_person("zhangsan")
    response = sign_in(client, "zhangsan")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_wrong_directory_password_is_refused(client, ldap_on):
    response = sign_in(client, "zhangsan", "not-the-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_directory_down_gives_a_plain_message_is_logged_and_counts_no_failure(client, ldap_on, settings, caplog):
    settings.AXES_ENABLED = True
    ldap_on.stop()
    with caplog.at_level(logging.ERROR, logger="accounts"):
        response = sign_in(client, "zhangsan")
    assert response.status_code == 200
    assert "暂时无法连接统一身份认证目录" in response.content.decode()
    assert any("LDAP directory unavailable" in r.getMessage() for r in caplog.records)
    assert "_auth_user_id" not in client.session
    # An outage is not the person's failed attempt: nothing for axes to count.
    assert not AccessAttempt.objects.exists()


def test_an_emergency_administrator_signs_in_locally_while_the_directory_is_down(client, ldap_on, settings):
    settings.AUTH_LOCAL_LOGIN = False
    admin = make_user(roles.ADMIN, username="yingji", is_emergency_admin=True)
    admin.set_password("Local-Emergency-2019")
    admin.save()
    ldap_on.stop()
    assert sign_in(client, "yingji", "Local-Emergency-2019").status_code == 302


def test_the_directory_never_takes_over_an_emergency_administrator(client, ldap_on):
    local = make_user(roles.ADMIN, username="zhangsan", is_emergency_admin=True)
    local.set_password("Local-Emergency-2019")
    local.save()
    assert sign_in(client, "zhangsan", PASSWORD).status_code == 200  # the directory password is not his
    assert role_set("zhangsan") == {roles.ADMIN}
    assert sign_in(client, "zhangsan", "Local-Emergency-2019").status_code == 302


def test_django_axes_counts_wrong_directory_passwords_per_user_and_address(client, ldap_on, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert sign_in(client, "zhangsan", "wrong-password").status_code == 200
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("zhangsan", ADDRESS, 2)
    assert sign_in(client, "zhangsan", "wrong-password").status_code == 429
    # Locked: even the right directory password is refused from that address, but not from another.
    assert sign_in(client, "zhangsan").status_code == 429
    assert sign_in(client, "zhangsan", address="198.51.100.21").status_code == 302


@pytest.fixture
def tls_directory(tmp_path, directory_tools):
    server = Directory(root=tmp_path / "slapd-tls", port=free_port(), tls=make_certificates(tmp_path / "certs"))
    server.start()
    try:
        server.load(TREE)
        yield server
    finally:
        server.stop()


def test_start_tls_with_the_directorys_ca_signs_in(client, settings, tls_directory):
    configure_ldap(
        settings,
        tls_directory.environ(AUTH_LDAP_START_TLS="true", AUTH_LDAP_CA_CERT_FILE=str(tls_directory.tls["ca"])),
    )
    assert sign_in(client, "zhangsan").status_code == 302
    assert role_set("zhangsan") == {roles.DEPT}


def test_without_start_tls_a_directory_that_requires_it_refuses_and_the_page_says_so(client, settings, tls_directory):
    configure_ldap(settings, tls_directory.environ())
    response = sign_in(client, "zhangsan")
    assert response.status_code == 200 and "暂时无法连接统一身份认证目录" in response.content.decode()


def test_start_tls_refuses_a_certificate_of_another_ca(client, settings, tls_directory, tmp_path):
    other = make_certificates(tmp_path / "other-ca")
    configure_ldap(settings, tls_directory.environ(AUTH_LDAP_START_TLS="true", AUTH_LDAP_CA_CERT_FILE=str(other["ca"])))
    response = sign_in(client, "zhangsan")
    assert response.status_code == 200 and "暂时无法连接统一身份认证目录" in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()


def test_a_directory_name_longer_than_the_portals_column_is_cut_not_a_500(client, ldap_on):
    assert sign_in(client, "changming").status_code == 302
    assert User.objects.get(username="changming").name == ("国网白银供电公司" * 8)[:50]
