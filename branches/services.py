"""Writes for the organisation and its users."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from branches import roles

# What each role may do in the Django admin. Portal pages check roles themselves.
ROLE_PERMISSIONS = {
    roles.DEPT: {
        "scoring": None,  # None = every permission of the app
        "boards": None,
        "interviews": None,
        "branches": {"view_branch", "change_branch", "add_branch", "view_unit", "add_unit", "change_unit", "view_user"},
    },
    roles.ADMIN: {
        "branches": None,
        "auth": {"view_group"},
        "django_celery_beat": None,
    },
}


@transaction.atomic
def roles_sync_permissions() -> None:
    """Make sure the role groups exist and hold their admin permissions."""
    for role in roles.ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = ROLE_PERMISSIONS.get(role, {})
        perms: list[Permission] = []
        for app_label, codenames in wanted.items():
            qs = Permission.objects.filter(content_type__app_label=app_label)
            if codenames is not None:
                qs = qs.filter(codename__in=codenames)
            perms.extend(qs)
        group.permissions.set(perms)


def notice_send(*, user_id: int, message: str, url: str = "", email: bool = False):
    """Leave a notice in the user's portal inbox; with `email`, send the same text by mail
    (inside a transaction, queue notice_mail with transaction.on_commit instead)."""
    from branches.models import Notice, User

    user = User.objects.get(pk=user_id)
    notice = Notice.objects.create(user=user, message=message[:500], url=url)
    if email:
        notice_mail(user=user, message=message, url=url)
    return notice


def notice_mail(*, user, message: str, url: str = "") -> None:
    """A notice's text by e-mail, when the user has an address."""
    from django.conf import settings
    from django.core.mail import send_mail

    if user.email:
        send_mail(
            subject=f"[{settings.COMPANY_NAME}] 红蓝榜通知",
            message=message + (f"\n\n{url}" if url else ""),
            from_email=None,
            recipient_list=[user.email],
        )
