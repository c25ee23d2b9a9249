"""Helpers for the sign-in tests."""

from __future__ import annotations

from baiyin_eval.settings.auth import authentication_backends, ldap_settings


def configure_ldap(settings, environ: dict[str, str]) -> None:
    for name, value in ldap_settings(environ).items():
        setattr(settings, name, value)
    settings.LDAP_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = authentication_backends(ldap=True, oidc=False)
