"""Rectification items and their status machine: answered, reported, accepted or returned."""

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
    TRANSITIONS,
    Actor,
    Interview,
    ItemEvent,
    ItemStatus,
    RectificationItem,
)
from interviews.services.interviews import refresh_closed


class TransitionRefused(ValidationError):
    pass


@transaction.atomic
def item_add(*, interview: Interview, user: User, description: str) -> RectificationItem:
    """党建部 adds an item to the checklist (e.g. raised at the interview). Reopens a closed one."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    last = interview.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = RectificationItem.objects.create(interview=interview, description=description.strip(), position=last + 1)
    ItemEvent.objects.create(item=item, user=user, to_status=item.status, note=_("新增整改事项"))
    refresh_closed(interview)
    return item


def move(item: RectificationItem, to: str, actor: str, user: User | None, note: str = "") -> None:
    """Apply one move of the status machine to a locked item, or refuse it."""
    src = ItemStatus(item.status)
    allowed = TRANSITIONS.get((src, ItemStatus(to)))
    if allowed != actor:
        raise TransitionRefused(
            _("整改事项不能从“%(src)s”变为“%(dst)s”。") % {"src": src.label, "dst": ItemStatus(to).label},
            code="transition",
        )
    item.status = to
    ItemEvent.objects.create(item=item, user=user, from_status=src, to_status=to, note=note)


def locked_item(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update().select_related("interview").get(pk=item.pk)


@transaction.atomic
def item_transition(
    *, item: RectificationItem, to: str, actor: str, user: User | None, note: str = ""
) -> RectificationItem:
    """Move an item along the status machine (interviews.models.TRANSITIONS) as `actor`."""
    item = locked_item(item)
    move(item, to, actor, user, note)
    item.save()
    refresh_closed(item.interview)
    return item


@transaction.atomic
def item_answer(
    *, item: RectificationItem, user: User, measure: str, deadline: datetime.date, responsible: str
) -> RectificationItem:
    """The branch answers an item: measure, deadline, responsible person. A pending or returned item
    moves to 整改中; an item already completed or accepted can no longer be changed."""
    item = locked_item(item)
    if not item.is_open:
        raise TransitionRefused(
            _("该事项状态为“%(status)s”，不能再修改整改措施。") % {"status": item.get_status_display()},
            code="closed",
        )
    measure, responsible = measure.strip(), responsible.strip()
    if not (measure and deadline and responsible):
        raise ValidationError(_("请填写整改措施、完成时限和责任人。"))
    changed = (item.measure, item.deadline, item.responsible) != (measure, deadline, responsible)
    item.measure, item.deadline, item.responsible = measure, deadline, responsible
    if item.status in (ItemStatus.PENDING, ItemStatus.RETURNED):
        move(item, ItemStatus.IN_PROGRESS, Actor.BRANCH, user, _("填报整改措施"))
    elif changed:
        ItemEvent.objects.create(item=item, user=user, note=_("修改整改措施"))
    item.save()
    return item


class EvidenceMissing(ValidationError):
    """Submission for acceptance without evidence and without a written reason why there is none."""


@transaction.atomic
def item_report_progress(
    *, item: RectificationItem, user: User, progress: str, completed: bool, no_evidence_reason: str = ""
) -> RectificationItem:
    """The branch reports progress; with `completed`, the item goes to 待验收 for 党建部 to check.

    Submitting needs at least one evidence file, or — when there truly is none — a written reason;
    the files submitted are frozen from then on (`Evidence.submitted_at`)."""
    item = locked_item(item)
    if item.status not in (ItemStatus.IN_PROGRESS, ItemStatus.RETURNED):
        if item.status == ItemStatus.PENDING:
            raise TransitionRefused(_("请先填写整改措施、完成时限和责任人，再报告进展。"), code="unanswered")
        raise TransitionRefused(
            _("该事项状态为“%(status)s”，不能再报告进展。") % {"status": item.get_status_display()}, code="closed"
        )
    progress = progress.strip()
    if not progress:
        raise ValidationError(_("请填写整改进展。"))
    no_evidence_reason = no_evidence_reason.strip()
    evidence = item.evidence.all()
    if completed and not no_evidence_reason and not evidence.exists():
        raise EvidenceMissing(
            {"no_evidence_reason": _("提交验收前请至少上传一份佐证材料；确实没有佐证材料的，请在这里写明原因。")},
            code="evidence_missing",
        )
    item.progress = progress
    if item.status == ItemStatus.RETURNED:
        move(item, ItemStatus.IN_PROGRESS, Actor.BRANCH, user, progress)
    if completed:
        item.no_evidence_reason = no_evidence_reason
        now = timezone.now()
        n_files = evidence.filter(submitted_at__isnull=True).update(submitted_at=now)
        note = progress
        if no_evidence_reason:
            note += "\n" + _("无佐证材料的说明：%(reason)s") % {"reason": no_evidence_reason}
        move(item, ItemStatus.COMPLETED, Actor.BRANCH, user, note)
        if n_files:
            ItemEvent.objects.create(
                item=item, user=user, note=_("佐证材料 %(n)s 份随整改提交验收，不能再删除。") % {"n": n_files}
            )
    elif item.status == ItemStatus.IN_PROGRESS:
        ItemEvent.objects.create(item=item, user=user, note=progress)
    item.save()
    return item


@transaction.atomic
def item_accept(*, item: RectificationItem, user: User) -> RectificationItem:
    """党建部 accepts a completed item (已验收). When every item is accepted the rectification closes."""
    item = locked_item(item)
    move(item, ItemStatus.ACCEPTED, Actor.DEPT, user, _("验收通过"))
    item.accepted_at = timezone.now()
    item.accepted_by = user
    item.return_reason = ""
    item.save()
    audit_record(user=user, action="rectification_accept", target=item)
    refresh_closed(item.interview)
    return item


@transaction.atomic
def item_return(*, item: RectificationItem, user: User, reason: str) -> RectificationItem:
    """党建部 returns a completed item with a reason (退回); the branch takes it up again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("退回时请写明原因。"))
    item = locked_item(item)
    move(item, ItemStatus.RETURNED, Actor.DEPT, user, reason)
    item.return_reason = reason
    item.save()
    audit_record(user=user, action="rectification_return", target=item, detail={"原因": reason})
    secretary_notice(
        item,
        _("整改事项“%(item)s”被退回：%(reason)s") % {"item": item.description[:60], "reason": reason},
    )
    return item


def recipient_id(item: RectificationItem) -> int | None:
    """Whom to tell about an item: the branch's secretary, else the person interviewed."""
    return item.interview.branch.secretary_id or item.interview.interviewee_id


def secretary_notice(item: RectificationItem, message: str, email: bool = False) -> None:
    user_id = recipient_id(item)
    if user_id:
        notice_send(user_id=user_id, message=message, url=item.get_absolute_url(), email=email)
