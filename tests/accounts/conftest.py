"""Fixtures for sign-in: a real slapd per test (see slapd.py) and the portal configured for it exactly
as the AUTH_LDAP_* environment would configure it (settings/auth.py's own builder)."""

from __future__ import annotations

import os

import pytest

from baiyin_eval.settings.auth import authentication_backends, ldap_settings
from tests.accounts.slapd import TREE, Directory, free_port, tools_missing


@pytest.fixture
def directory_tools():
    """Skips where slapd, ldap-utils or python-ldap are missing; fails instead in CI (CI_REQUIRE_LDAP)."""
    reason = tools_missing()
    if reason and os.environ.get("CI_REQUIRE_LDAP"):
        pytest.fail(f"CI_REQUIRE_LDAP is set but {reason}")
    if reason:
        pytest.skip(reason)


@pytest.fixture
def directory(tmp_path, directory_tools):
    server = Directory(root=tmp_path / "slapd", port=free_port())
    server.start()
    try:
        server.load(TREE)
        yield server
    finally:
        server.stop()


def configure_ldap(settings, environ: dict[str, str]) -> None:
    for name, value in ldap_settings(environ).items():
        setattr(settings, name, value)
    settings.LDAP_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = authentication_backends(ldap=True, oidc=False)


@pytest.fixture
def ldap_on(settings, directory):
    configure_ldap(settings, directory.environ())
    return directory
