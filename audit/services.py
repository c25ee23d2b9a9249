"""Writing the audit trail. One call per audited action, inside the action's transaction: if the
action rolls back, so does its record."""

from __future__ import annotations

from typing import Any

from django.db import models

from audit.middleware import current_address
from audit.models import AuditEvent
from baiyin_eval.client_address import client_address


def audit_record(
    *,
    action: str,
    target: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    user=None,
    request=None,
    username: str = "",
) -> AuditEvent:
    """Record `action` by `user` (or `request.user`) on `target`, from the current client address.

    `detail` holds short, JSON-serialisable facts (old and new value, a reason); values are
    stored as text so Decimals and dates keep their exact form.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    address = current_address.get()
    if request is not None:
        address = client_address(request)
    event = AuditEvent(
        actor=user,
        # An unknown action is a programming error: fail loudly rather than log something unreadable.
        actor_name=(user.get_username() if user is not None else username)[:150],
        action=AuditEvent.Action(action),
        address=address or None,
        detail={str(k): str(v) for k, v in (detail or {}).items()},
    )
    if target is not None:
        event.target_type = target._meta.label
        event.target_id = str(target.pk)
        event.target_repr = str(target)[:200]
    event.save()
    return event
