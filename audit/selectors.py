from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from branches.models import Unit


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _in_reach(reach: Unit) -> Q:
    within = Q(actor__unit__path__startswith=reach.path) | Q(
        actor__unit__isnull=True, actor__branch__unit__path__startswith=reach.path
    )
    company = Unit.objects.filter(name=settings.COMPANY_NAME, path__startswith=reach.path)
    if company.exists():  # the legacy accounts of the single-company portal are the company's
        within |= Q(actor__isnull=True) | Q(actor__unit__isnull=True, actor__branch__isnull=True)
    return within


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    reach: Unit | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by the list page's filters (dates in local time) and,
    with `reach`, to the events of accounts held in that unit's subtree (where the account's role
    is held: its unit, else its branch's unit; accounts with neither, and events without an
    account, belong to the installation's company unit)."""
    events = AuditEvent.objects.select_related("actor")
    if reach is not None:
        events = events.filter(_in_reach(reach))
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
