"""settings/auth.py: the AUTH_LDAP_* and OIDC_* variables, as a deployment sets them."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from baiyin_eval.settings.auth import authentication_backends, ldap_settings, oidc_settings

OIDC = {
    "OIDC_RP_CLIENT_ID": "honglanbang",
    "OIDC_RP_CLIENT_SECRET": "client-secret-long-enough-for-hs256-0123456789",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sso.example.cn/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://sso.example.cn/token",
    "OIDC_OP_USER_ENDPOINT": "https://sso.example.cn/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://sso.example.cn/jwks",
}


def test_nothing_is_switched_on_without_the_variables():
    assert ldap_settings({}) == {} and oidc_settings({}) == {}
    assert authentication_backends(ldap=False, oidc=False) == [
        "axes.backends.AxesStandaloneBackend",
        "accounts.backends.LocalAccountBackend",
    ]


def test_the_active_directory_example_of_the_readme():
    pytest.importorskip("ldap", reason="python-ldap not installed (requirements-ldap.txt)")
    from django_auth_ldap.config import NestedActiveDirectoryGroupType

    env = {
        "AUTH_LDAP_SERVER_URI": "ldap://dc1.corp.example.cn",
        "AUTH_LDAP_BIND_DN": "CN=svc-honglanbang,OU=Service,DC=corp,DC=example,DC=cn",
        "AUTH_LDAP_BIND_PASSWORD": "x",
        "AUTH_LDAP_USER_SEARCH_BASE": "OU=Staff,DC=corp,DC=example,DC=cn",
        "AUTH_LDAP_USER_FILTER": "(&(sAMAccountName=%(user)s)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))",
        "AUTH_LDAP_GROUP_SEARCH_BASE": "OU=Groups,DC=corp,DC=example,DC=cn",
        "AUTH_LDAP_GROUP_TYPE": "activeDirectory",
        "AUTH_LDAP_START_TLS": "true",
        "AUTH_LDAP_ROLE_GROUPS": json.dumps({"党建部": "CN=HLB-Dangjian,OU=Groups,DC=corp,DC=example,DC=cn"}),
        "AUTH_LDAP_USER_ATTR_MAP": '{"name": "displayName", "email": "mail"}',
        "AUTH_LDAP_BRANCH_ATTR": "department",
    }
    got = ldap_settings(env)
    assert isinstance(got["AUTH_LDAP_GROUP_TYPE"], NestedActiveDirectoryGroupType)
    assert got["AUTH_LDAP_USER_SEARCH"].filterstr.startswith("(&(sAMAccountName=%(user)s)")
    assert got["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=group)"
    assert got["AUTH_LDAP_START_TLS"] is True
    assert got["AUTH_LDAP_USER_ATTR_MAP"] == {"name": "displayName", "email": "mail"}
    assert got["AUTH_LDAP_ROLE_GROUPS"] == {"党建部": "CN=HLB-Dangjian,OU=Groups,DC=corp,DC=example,DC=cn"}


def test_the_openldap_defaults():
    pytest.importorskip("ldap", reason="python-ldap not installed (requirements-ldap.txt)")
    from django_auth_ldap.config import GroupOfNamesType

    got = ldap_settings({"AUTH_LDAP_SERVER_URI": "ldap://ldap", "AUTH_LDAP_USER_SEARCH_BASE": "ou=people,dc=x"})
    assert got["AUTH_LDAP_USER_SEARCH"].filterstr == "(uid=%(user)s)"
    assert isinstance(got["AUTH_LDAP_GROUP_TYPE"], GroupOfNamesType)
    assert got["AUTH_LDAP_START_TLS"] is False and got["AUTH_LDAP_ROLE_GROUPS"] == {}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"AUTH_LDAP_ROLE_GROUPS": "{not json"}, "不是合法的 JSON"),
        ({"AUTH_LDAP_ROLE_GROUPS": '{"管理员": "cn=x"}'}, "未知角色"),
        ({"AUTH_LDAP_GROUP_TYPE": "nisNetgroup"}, "AUTH_LDAP_GROUP_TYPE"),
        ({"AUTH_LDAP_USER_SEARCH_BASE": ""}, "AUTH_LDAP_USER_SEARCH_BASE"),
    ],
)
def test_a_wrong_directory_setting_stops_the_start_with_its_name(extra, message):
    pytest.importorskip("ldap", reason="python-ldap not installed (requirements-ldap.txt)")
    env = {"AUTH_LDAP_SERVER_URI": "ldap://ldap", "AUTH_LDAP_USER_SEARCH_BASE": "ou=people,dc=x", **extra}
    with pytest.raises(ImproperlyConfigured, match=message):
        ldap_settings(env)


def test_oidc_needs_its_endpoints():
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_TOKEN_ENDPOINT"):
        oidc_settings({k: v for k, v in OIDC.items() if k != "OIDC_OP_TOKEN_ENDPOINT"})
    got = oidc_settings(OIDC)
    assert got["OIDC_RP_SIGN_ALGO"] == "RS256" and got["OIDC_USE_PKCE"] is True
    assert got["OIDC_USERNAME_CLAIM"] == "preferred_username" and got["OIDC_ROLES_CLAIM"] == "roles"
