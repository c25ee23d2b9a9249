"""Logins, logouts and failed logins go to the audit trail (Django's auth signals), and so do the
role changes a directory sign-in makes (accounts.signals)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.signals import directory_sync_changed
from audit.models import AuditEvent
from audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def record_login(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditEvent.Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def record_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The password never reaches the log: Django masks it, and only the username is kept.
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(directory_sync_changed, dispatch_uid="audit_directory_sync")
def record_directory_sync(sender, user, source, added, removed, branch_changed, branch, **kwargs) -> None:
    """A directory or OIDC sign-in granted or took away roles (or moved the account's organisation):
    recorded against the account, as the grant of an administrator would be."""
    detail = {"source": source, "added": "、".join(added), "removed": "、".join(removed)}
    if branch_changed:
        detail["branch"] = branch
    audit_record(action=AuditEvent.Action.DIRECTORY_SYNC, target=user, user=user, detail=detail)
