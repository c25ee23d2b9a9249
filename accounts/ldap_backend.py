"""LDAP / Active Directory sign-in (django-auth-ldap), configured by AUTH_LDAP_* (settings/auth.py).

The person binds with their own directory password; the portal account is created or updated from
the directory at every sign-in: name and e-mail from AUTH_LDAP_USER_ATTR_MAP, the roles of
AUTH_LDAP_ROLE_GROUPS from group membership (added and removed), the branch from AUTH_LDAP_BRANCH_ATTR.
Someone the directory no longer finds, or refuses to bind (disabled, locked), does not sign in.
"""

from __future__ import annotations

import logging

import ldap
from django_auth_ldap.backend import LDAPBackend, ldap_error, populate_user
from django_auth_ldap.config import LDAPGroupQuery

from accounts.exceptions import DirectoryUnavailable
from accounts.services import user_sync_from_directory
from branches.models import User

logger = logging.getLogger("accounts")


class DirectoryBackend(LDAPBackend):
    default_settings = {"ROLE_GROUPS": {}, "BRANCH_ATTR": ""}

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            return None
        # Emergency administrators are local accounts: the directory never signs in as one.
        if User.objects.filter(username__iexact=username.strip(), is_emergency_admin=True).exists():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        role_groups: dict[str, str] = self.settings.ROLE_GROUPS
        try:
            granted = {role for role, dn in role_groups.items() if LDAPGroupQuery(dn).resolve(ldap_user)}
        except ldap.LDAPError as exc:
            directory_failed(exc, context="role_groups")
        branch_name = None
        if self.settings.BRANCH_ATTR:
            values = (ldap_user.attrs or {}).get(self.settings.BRANCH_ATTR) or []
            branch_name = values[0] if values else None
        user_sync_from_directory(user=user, roles=granted, managed_roles=role_groups, branch_name=branch_name)
        return user


def directory_failed(exc: Exception, *, context: str):
    """Log the directory's failure and stop the sign-in with DirectoryUnavailable."""
    logger.error("LDAP directory unavailable (%s): %r", context, exc)
    raise DirectoryUnavailable(str(exc)) from exc


def _on_ldap_error(sender, context, user, request, exception, **kwargs):
    # django-auth-ldap swallows an LDAPError after sending this signal, and says so: "Exceptions raised
    # by handlers will be propagated out". The person's own wrong password never gets here (it is
    # INVALID_CREDENTIALS on their bind, handled as a plain failed login).
    directory_failed(exception, context=context)


def _fit_fields(sender, user, ldap_user, **kwargs):
    # Sent just before django-auth-ldap saves the account: a directory value longer than the portal's
    # column (a long AD displayName) is cut rather than failing the sign-in with a database error.
    for field in ("name", "email", "first_name", "last_name"):
        limit = User._meta.get_field(field).max_length
        value = getattr(user, field, None)
        if isinstance(value, str) and len(value) > limit:
            setattr(user, field, value[:limit])


def connect_error_handler() -> None:
    ldap_error.connect(_on_ldap_error, sender=DirectoryBackend, dispatch_uid="accounts_ldap_error")
    populate_user.connect(_fit_fields, sender=DirectoryBackend, dispatch_uid="accounts_ldap_fit_fields")
