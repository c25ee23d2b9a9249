from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by the list page's filters (dates in local time)."""
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_name__iexact=actor.strip())
    if target:
        events = events.filter(target_repr__icontains=target.strip())
    if since:
        events = events.filter(at__gte=_day_start(since))
    if until:
        events = events.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    return events.order_by("-at", "-pk")
