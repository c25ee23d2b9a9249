"""Look-back (回头看): scheduled on an interview, recorded item by item (reopening what slipped)."""

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
    Actor,
    Interview,
    ItemStatus,
    LookBack,
    LookBackResult,
    RectificationItem,
)
from interviews.services.interviews import refresh_closed
from interviews.services.items import move, secretary_notice


@transaction.atomic
def look_back_schedule(*, interview: Interview, user: User, scheduled_on: datetime.date, note: str = "") -> LookBack:
    """党建部 schedules a look-back. Only once something has been accepted is there anything to check."""
    interview = Interview.objects.select_for_update().select_related("branch", "quarter").get(pk=interview.pk)
    if not interview.items.filter(status=ItemStatus.ACCEPTED).exists():
        raise ValidationError(_("还没有已验收的整改事项，暂不能安排回头看。"))
    if interview.look_backs.filter(conducted_at__isnull=True).exists():
        raise ValidationError(_("已有一次尚未完成的回头看，请先记录其结果。"))
    look_back = LookBack.objects.create(
        interview=interview, scheduled_on=scheduled_on, note=note.strip(), created_by=user
    )
    audit_record(
        user=user, action="interview_schedule", target=interview, detail={"回头看": f"— → {scheduled_on.isoformat()}"}
    )
    recipient = interview.branch.secretary_id or interview.interviewee_id
    if recipient:
        notice_send(
            user_id=recipient,
            message=_("党建部将于 %(day)s 对 %(quarter)s 整改情况开展“回头看”。")
            % {"day": scheduled_on.isoformat(), "quarter": interview.quarter.code},
            url=interview.get_absolute_url(),
        )
    return look_back


@transaction.atomic
def look_back_record(
    *, look_back: LookBack, user: User, results: dict[int, tuple[bool, str]]
) -> list[RectificationItem]:
    """Record, per accepted item, whether the change held. An item that did not hold reopens (整改中)
    and the rectification is no longer closed. Returns the reopened items."""
    look_back = LookBack.objects.select_for_update().select_related("interview").get(pk=look_back.pk)
    if look_back.is_done:
        raise ValidationError(_("这次回头看的结果已经记录过了。"))
    items = list(
        RectificationItem.objects.select_for_update()
        .select_related("interview")
        .filter(interview=look_back.interview, status=ItemStatus.ACCEPTED)
    )
    missing = [i for i in items if i.pk not in results]
    if missing:
        raise ValidationError(_("请对每一项已验收的整改事项选择“保持”或“未保持”。"))
    reopened = []
    for item in items:
        held, note = results[item.pk]
        LookBackResult.objects.create(look_back=look_back, item=item, held=held, note=note.strip())
        if not held:
            move(
                item,
                ItemStatus.IN_PROGRESS,
                Actor.LOOK_BACK,
                user,
                _("回头看发现整改成效未保持：%(note)s") % {"note": note.strip() or "—"},
            )
            item.accepted_at = None
            item.accepted_by = None
            item.save()
            reopened.append(item)
    look_back.conducted_at = timezone.now()
    look_back.conducted_by = user
    look_back.save(update_fields=["conducted_at", "conducted_by"])
    detail = {
        "回头看": _("%(held)s 项保持，%(reopened)s 项未保持")
        % {"held": len(items) - len(reopened), "reopened": len(reopened)}
    }
    if reopened:
        detail["重新打开"] = "、".join(f"{i.description[:40]}（已验收 → 整改中）" for i in reopened)
    audit_record(user=user, action="interview_decision", target=look_back.interview, detail=detail)
    refresh_closed(look_back.interview)
    for item in reopened:
        secretary_notice(
            item, _("回头看发现整改事项“%(item)s”成效未保持，已重新打开。") % {"item": item.description[:60]}
        )
    return reopened
