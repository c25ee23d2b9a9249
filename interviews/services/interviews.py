"""The interview itself: its schedule, its minutes, and whether its rectification is closed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches.models import User
from branches.services import notice_send
from interviews.models import (
    Interview,
    ItemStatus,
)


@transaction.atomic
def interview_schedule(
    *,
    interview: Interview,
    user: User,
    scheduled_at: datetime.datetime,
    place: str,
    interviewer: User | None,
    interviewee: User | None,
) -> Interview:
    """党建部 sets (or moves) the interview's time, place and the two people."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    before = _schedule_facts(interview)
    interview.scheduled_at = scheduled_at
    interview.place = place.strip()
    interview.interviewer = interviewer
    interview.interviewee = interviewee
    interview.save(update_fields=["scheduled_at", "place", "interviewer", "interviewee"])
    after = _schedule_facts(interview)
    audit_record(
        user=user,
        action="interview_schedule",
        target=interview,
        detail={k: f"{before[k]} → {v}" for k, v in after.items() if before[k] != v},
    )
    if interviewee is not None:
        notice_send(
            user_id=interviewee.pk,
            message=_("%(quarter)s 清单式约谈已安排：%(when)s，地点：%(place)s。")
            % {
                "quarter": interview.quarter.code,
                "when": timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M"),
                "place": interview.place,
            },
            url=interview.get_absolute_url(),
        )
    return interview


def _schedule_facts(interview: Interview) -> dict[str, str]:
    when = interview.scheduled_at
    return {
        "时间": timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "—",
        "地点": interview.place or "—",
        "约谈人": str(interview.interviewer) if interview.interviewer_id else "—",
        "被约谈人": str(interview.interviewee) if interview.interviewee_id else "—",
    }


@transaction.atomic
def interview_record_minutes(*, interview: Interview, user: User, minutes: str) -> Interview:
    """党建部 records what was said. The interview must have been scheduled first."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if not interview.is_scheduled:
        raise ValidationError(_("请先安排约谈时间和地点，再记录约谈情况。"))
    before = interview.minutes
    interview.minutes = minutes.strip()
    if interview.held_at is None:
        interview.held_at = timezone.now()
    interview.save(update_fields=["minutes", "held_at"])
    audit_record(
        user=user,
        action="interview_decision",
        target=interview,
        detail={"约谈情况": f"{before or '—'} → {interview.minutes or '—'}"},
    )
    return interview


def refresh_closed(interview: Interview) -> None:
    """The rectification is closed exactly when it has items and every one is accepted."""
    statuses = set(interview.items.values_list("status", flat=True))
    closed = bool(statuses) and statuses == {ItemStatus.ACCEPTED}
    if closed and interview.rectification_closed_at is None:
        interview.rectification_closed_at = timezone.now()
        interview.save(update_fields=["rectification_closed_at"])
    elif not closed and interview.rectification_closed_at is not None:
        interview.rectification_closed_at = None
        interview.save(update_fields=["rectification_closed_at"])
