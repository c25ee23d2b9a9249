"""Sign-in: local accounts, the company directory (LDAP / Active Directory) and OpenID Connect.

Imported by base.py. Everything comes from the environment:
- AUTH_LDAP_SERVER_URI set → directory sign-in (django-auth-ldap; python-ldap from requirements-ldap.txt);
- OIDC_RP_CLIENT_ID set → the "使用统一身份认证登录" button (mozilla-django-oidc);
- AUTH_LOCAL_LOGIN=false → local passwords only for emergency administrators.

The builders are plain functions over a mapping so tests can configure a directory they started
themselves exactly as the environment would (tests/accounts/).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

ROLE_NAMES = ("党建部", "检查组成员", "支部书记", "党委领导", "系统管理员")  # branches.roles.ALL_ROLES

LOCAL_BACKEND = "accounts.backends.LocalAccountBackend"
LDAP_BACKEND = "accounts.ldap_backend.DirectoryBackend"
OIDC_BACKEND = "accounts.oidc_backend.OIDCBackend"

_TRUE = {"1", "true", "yes", "on"}


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "")
    return default if value == "" else value.strip().lower() in _TRUE


def _json_object(environ: Mapping[str, str], name: str, default: dict) -> dict:
    raw = environ.get(name, "")
    if not raw.strip():
        return dict(default)
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} 不是合法的 JSON / is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} 必须是 JSON 对象 / must be a JSON object")
    return value


def _role_map(environ: Mapping[str, str], name: str) -> dict[str, str]:
    mapping = _json_object(environ, name, {})
    unknown = sorted(set(mapping) - set(ROLE_NAMES))
    if unknown:
        raise ImproperlyConfigured(f"{name}: 未知角色 / unknown roles {unknown}; 可用 / known: {', '.join(ROLE_NAMES)}")
    return {role: str(value) for role, value in mapping.items()}


def ldap_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """django-auth-ldap's settings from AUTH_LDAP_* variables ({} when AUTH_LDAP_SERVER_URI is unset)."""
    uri = environ.get("AUTH_LDAP_SERVER_URI", "").strip()
    if not uri:
        return {}
    try:
        import ldap
        from django_auth_ldap import config
    except ImportError as exc:
        raise ImproperlyConfigured(
            "设置了 AUTH_LDAP_SERVER_URI，但没有安装 python-ldap / django-auth-ldap："
            "apt-get install libldap2-dev libsasl2-dev gcc && pip install -r requirements-ldap.txt"
        ) from exc

    group_types = {
        "groupofnames": config.GroupOfNamesType,
        "groupofuniquenames": config.GroupOfUniqueNamesType,
        # AD groups nest (a department group inside a role group): resolve them recursively.
        "activedirectory": config.NestedActiveDirectoryGroupType,
        "posixgroup": config.PosixGroupType,
    }
    type_name = environ.get("AUTH_LDAP_GROUP_TYPE", "").strip() or "groupOfNames"
    if type_name.lower() not in group_types:
        raise ImproperlyConfigured(
            f"AUTH_LDAP_GROUP_TYPE={type_name}: 可用 / known: groupOfNames, groupOfUniqueNames, activeDirectory, posixGroup"
        )
    user_base = environ.get("AUTH_LDAP_USER_SEARCH_BASE", "").strip()
    if not user_base:
        raise ImproperlyConfigured("AUTH_LDAP_USER_SEARCH_BASE 未设置 / is required with AUTH_LDAP_SERVER_URI")
    group_base = environ.get("AUTH_LDAP_GROUP_SEARCH_BASE", "").strip() or user_base
    group_class = {"activedirectory": "group"}.get(type_name.lower(), type_name)
    timeout = float(environ.get("AUTH_LDAP_TIMEOUT", "") or 5)
    options: dict[int, Any] = {
        # AD answers searches at the domain root with referrals python-ldap would chase anonymously.
        ldap.OPT_REFERRALS: 0,
        # An unreachable directory must fail fast with a message, not hang the login page.
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
    }
    ca_file = environ.get("AUTH_LDAP_CA_CERT_FILE", "").strip()
    if ca_file:
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_NEWCTX] = 0
    attr_map = _json_object(environ, "AUTH_LDAP_USER_ATTR_MAP", {"name": "cn", "email": "mail"})
    return {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": environ.get("AUTH_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("AUTH_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": _flag(environ, "AUTH_LDAP_START_TLS", False),
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(
            user_base,
            ldap.SCOPE_SUBTREE,
            environ.get("AUTH_LDAP_USER_FILTER", "").strip() or "(uid=%(user)s)",
        ),
        "AUTH_LDAP_GROUP_SEARCH": config.LDAPSearch(group_base, ldap.SCOPE_SUBTREE, f"(objectClass={group_class})"),
        "AUTH_LDAP_GROUP_TYPE": group_types[type_name.lower()](),
        "AUTH_LDAP_USER_ATTR_MAP": attr_map,
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_ROLE_GROUPS": _role_map(environ, "AUTH_LDAP_ROLE_GROUPS"),
        "AUTH_LDAP_BRANCH_ATTR": environ.get("AUTH_LDAP_BRANCH_ATTR", "").strip(),
    }


def oidc_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """mozilla-django-oidc's settings from OIDC_* variables ({} when OIDC_RP_CLIENT_ID is unset)."""
    client_id = environ.get("OIDC_RP_CLIENT_ID", "").strip()
    if not client_id:
        return {}
    required = ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT")
    missing = [name for name in required if not environ.get(name, "").strip()]
    sign_algo = environ.get("OIDC_RP_SIGN_ALGO", "").strip() or "RS256"
    if sign_algo.startswith(("RS", "ES")) and not environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip():
        missing.append("OIDC_OP_JWKS_ENDPOINT")
    if missing:
        raise ImproperlyConfigured("设置了 OIDC_RP_CLIENT_ID，但缺少 / missing: " + ", ".join(missing))
    return {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": environ.get("OIDC_RP_CLIENT_SECRET", ""),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": environ["OIDC_OP_AUTHORIZATION_ENDPOINT"].strip(),
        "OIDC_OP_TOKEN_ENDPOINT": environ["OIDC_OP_TOKEN_ENDPOINT"].strip(),
        "OIDC_OP_USER_ENDPOINT": environ["OIDC_OP_USER_ENDPOINT"].strip(),
        "OIDC_OP_JWKS_ENDPOINT": environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip() or None,
        "OIDC_RP_SIGN_ALGO": sign_algo,
        "OIDC_RP_SCOPES": environ.get("OIDC_RP_SCOPES", "").strip() or "openid profile email",
        "OIDC_USE_PKCE": _flag(environ, "OIDC_USE_PKCE", True),
        "OIDC_TIMEOUT": float(environ.get("OIDC_TIMEOUT", "") or 10),
        "OIDC_USERNAME_CLAIM": environ.get("OIDC_USERNAME_CLAIM", "").strip() or "preferred_username",
        "OIDC_NAME_CLAIM": environ.get("OIDC_NAME_CLAIM", "").strip() or "name",
        "OIDC_ROLES_CLAIM": environ.get("OIDC_ROLES_CLAIM", "").strip() or "roles",
        "OIDC_ROLE_VALUES": _role_map(environ, "OIDC_ROLE_VALUES"),
        "OIDC_BRANCH_CLAIM": environ.get("OIDC_BRANCH_CLAIM", "").strip(),
        "OIDC_OP_ISSUER": environ.get("OIDC_OP_ISSUER", "").strip(),
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
        # The callback view (accounts.views) puts the reason on the login page.
        "LOGIN_REDIRECT_URL_FAILURE": "/login/?oidc=failed",
    }


def authentication_backends(*, ldap: bool, oidc: bool) -> list[str]:
    """django-axes first (it refuses a locked-out username + address before anything is checked), then
    local passwords — so an emergency administrator still signs in while the directory is down — then
    the directory, then OIDC (which only answers its own callback)."""
    backends = ["axes.backends.AxesStandaloneBackend", LOCAL_BACKEND]
    if ldap:
        backends.append(LDAP_BACKEND)
    if oidc:
        backends.append(OIDC_BACKEND)
    return backends


_ldap = ldap_settings(os.environ)
_oidc = oidc_settings(os.environ)
globals().update(_ldap)
globals().update(_oidc)
LDAP_ENABLED = bool(_ldap)
OIDC_ENABLED = bool(_oidc)
AUTH_LOCAL_LOGIN = _flag(os.environ, "AUTH_LOCAL_LOGIN", True)
AUTHENTICATION_BACKENDS = authentication_backends(ldap=LDAP_ENABLED, oidc=OIDC_ENABLED)

# Only the settings themselves reach base.py (and the environments importing it).
__all__ = [name for name in list(globals()) if name.isupper()]
