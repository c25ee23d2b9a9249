"""Writes: a directory or OIDC sign-in brings the portal account in line with what the directory says."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.signals import directory_sync_changed
from branches.models import Branch, User

logger = logging.getLogger("accounts")


@dataclass(frozen=True)
class SyncResult:
    added: frozenset[str]
    removed: frozenset[str]
    branch_changed: bool


@transaction.atomic
def user_sync_from_directory(
    *,
    user: User,
    roles: Iterable[str],
    managed_roles: Iterable[str],
    branch_name: str | None = None,
    source: str = "ldap",
) -> SyncResult:
    """Make the roles in `managed_roles` exactly `roles` (granted ones added, the others removed) and
    leave roles the directory does not manage to the portal. With a `branch_name` that names exactly
    one organisation, the user's branch becomes it; without one the branch set in the portal stays."""
    managed = set(managed_roles)
    wanted = set(roles) & managed
    current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    added, removed = wanted - current, current - wanted
    if added:
        groups = [Group.objects.get_or_create(name=name)[0] for name in sorted(added)]
        user.groups.add(*groups)
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    # roles.role_names() caches on the instance; this one is about to be logged in.
    user.__dict__.pop("_role_names", None)

    branch_changed = False
    name = (branch_name or "").strip()
    if name:
        matches = list(Branch.objects.filter(name=name)[:2])
        if len(matches) == 1 and user.branch_id != matches[0].pk:
            user.branch = matches[0]
            user.save(update_fields=["branch"])
            branch_changed = True
        elif len(matches) != 1:
            logger.warning("directory names organisation %r for %s: no single branch of that name", name, user.username)
    if added or removed or branch_changed:
        logger.info(
            "directory sync %s: roles +%s -%s, branch %s", user.username, sorted(added), sorted(removed), user.branch_id
        )
        # The role changes a sign-in made are audited like any other grant (audit/signals.py).
        directory_sync_changed.send(
            sender=user_sync_from_directory,
            user=user,
            source=source,
            added=sorted(added),
            removed=sorted(removed),
            branch_changed=branch_changed,
            branch=user.branch.name if branch_changed and user.branch else "",
        )
    return SyncResult(frozenset(added), frozenset(removed), branch_changed)
