"""Writes for interviews and rectification. Views, tasks and the board's publication call these."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from boards.models import Board, BoardEntry
from branches import roles
from branches.models import User
from branches.services import notice_send
from branches.text import shorten_keeping_extension, strip_hidden
from interviews.evidence import validate_evidence
from interviews.models import (
    TRANSITIONS,
    Actor,
    Evidence,
    Interview,
    ItemEvent,
    ItemStatus,
    LookBack,
    LookBackResult,
    RectificationItem,
    Reminder,
)
from interviews.selectors import items_to_remind
from scoring.models import Problem, Quarter


def default_interviewer() -> User | None:
    """The committee secretary: the first user (by id) holding the 党委领导 role."""
    return User.objects.filter(groups__name=roles.LEADER, is_active=True).order_by("id").first()


@transaction.atomic
def interviews_create_for_quarter(*, quarter: Quarter) -> list[Interview]:
    """For every blue-board branch of the quarter, one interview holding its problem list.

    Idempotent: a branch that already has its interview for the quarter is left alone, so the
    publish task may run twice. Returns the interviews created by this call.
    """
    branch_ids = list(
        BoardEntry.objects.filter(quarter=quarter, board=Board.BLUE)
        .order_by("category", "branch_name")
        .values_list("branch_id", flat=True)
    )
    existing = set(Interview.objects.filter(quarter=quarter).values_list("branch_id", flat=True))
    missing = [b for b in branch_ids if b not in existing]
    if not missing:
        return []

    problems: dict[int, list[Problem]] = defaultdict(list)
    for problem in (
        Problem.objects.filter(sheet__quarter=quarter, sheet__branch_id__in=missing)
        .select_related("sheet")
        .order_by("indicator__category", "indicator__position", "id")
    ):
        problems[problem.sheet.branch_id].append(problem)

    from branches.models import Branch

    secretaries = dict(Branch.objects.filter(pk__in=missing).values_list("pk", "secretary_id"))
    interviewer = default_interviewer()
    created = []
    for branch_id in missing:
        interview, was_created = Interview.objects.get_or_create(
            quarter=quarter,
            branch_id=branch_id,
            defaults={"interviewer": interviewer, "interviewee_id": secretaries.get(branch_id)},
        )
        if not was_created:
            continue  # created concurrently by another run
        RectificationItem.objects.bulk_create(
            RectificationItem(interview=interview, problem=problem, description=problem.description, position=n)
            for n, problem in enumerate(problems[branch_id], start=1)
        )
        if interview.interviewee_id:
            notice_send(
                user_id=interview.interviewee_id,
                message=_("%(quarter)s 整改清单已建立（%(n)s 项问题），请逐项填报整改措施、完成时限和责任人。")
                % {"quarter": quarter.code, "n": len(problems[branch_id])},
                url=interview.get_absolute_url(),
            )
        created.append(interview)
    return created


# --- the interview --------------------------------------------------------------------------------


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


def _refresh_closed(interview: Interview) -> None:
    """The rectification is closed exactly when it has items and every one is accepted."""
    statuses = set(interview.items.values_list("status", flat=True))
    closed = bool(statuses) and statuses == {ItemStatus.ACCEPTED}
    if closed and interview.rectification_closed_at is None:
        interview.rectification_closed_at = timezone.now()
        interview.save(update_fields=["rectification_closed_at"])
    elif not closed and interview.rectification_closed_at is not None:
        interview.rectification_closed_at = None
        interview.save(update_fields=["rectification_closed_at"])


# --- items ----------------------------------------------------------------------------------------


class TransitionRefused(ValidationError):
    pass


@transaction.atomic
def item_add(*, interview: Interview, user: User, description: str) -> RectificationItem:
    """党建部 adds an item to the checklist (e.g. raised at the interview). Reopens a closed one."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    last = interview.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = RectificationItem.objects.create(interview=interview, description=description.strip(), position=last + 1)
    ItemEvent.objects.create(item=item, user=user, to_status=item.status, note=_("新增整改事项"))
    _refresh_closed(interview)
    return item


def _move(item: RectificationItem, to: str, actor: str, user: User | None, note: str = "") -> None:
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


def _locked(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update().select_related("interview").get(pk=item.pk)


@transaction.atomic
def item_transition(
    *, item: RectificationItem, to: str, actor: str, user: User | None, note: str = ""
) -> RectificationItem:
    """Move an item along the status machine (interviews.models.TRANSITIONS) as `actor`."""
    item = _locked(item)
    _move(item, to, actor, user, note)
    item.save()
    _refresh_closed(item.interview)
    return item


@transaction.atomic
def item_answer(
    *, item: RectificationItem, user: User, measure: str, deadline: datetime.date, responsible: str
) -> RectificationItem:
    """The branch answers an item: measure, deadline, responsible person. A pending or returned item
    moves to 整改中; an item already completed or accepted can no longer be changed."""
    item = _locked(item)
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
        _move(item, ItemStatus.IN_PROGRESS, Actor.BRANCH, user, _("填报整改措施"))
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
    item = _locked(item)
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
        _move(item, ItemStatus.IN_PROGRESS, Actor.BRANCH, user, progress)
    if completed:
        item.no_evidence_reason = no_evidence_reason
        now = timezone.now()
        n_files = evidence.filter(submitted_at__isnull=True).update(submitted_at=now)
        note = progress
        if no_evidence_reason:
            note += "\n" + _("无佐证材料的说明：%(reason)s") % {"reason": no_evidence_reason}
        _move(item, ItemStatus.COMPLETED, Actor.BRANCH, user, note)
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
    item = _locked(item)
    _move(item, ItemStatus.ACCEPTED, Actor.DEPT, user, _("验收通过"))
    item.accepted_at = timezone.now()
    item.accepted_by = user
    item.return_reason = ""
    item.save()
    audit_record(user=user, action="rectification_accept", target=item)
    _refresh_closed(item.interview)
    return item


@transaction.atomic
def item_return(*, item: RectificationItem, user: User, reason: str) -> RectificationItem:
    """党建部 returns a completed item with a reason (退回); the branch takes it up again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("退回时请写明原因。"))
    item = _locked(item)
    _move(item, ItemStatus.RETURNED, Actor.DEPT, user, reason)
    item.return_reason = reason
    item.save()
    audit_record(user=user, action="rectification_return", target=item, detail={"原因": reason})
    _secretary_notice(
        item,
        _("整改事项“%(item)s”被退回：%(reason)s") % {"item": item.description[:60], "reason": reason},
    )
    return item


def _recipient_id(item: RectificationItem) -> int | None:
    """Whom to tell about an item: the branch's secretary, else the person interviewed."""
    return item.interview.branch.secretary_id or item.interview.interviewee_id


def _secretary_notice(item: RectificationItem, message: str, email: bool = False) -> None:
    user_id = _recipient_id(item)
    if user_id:
        notice_send(user_id=user_id, message=message, url=item.get_absolute_url(), email=email)


# --- evidence -------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, item: RectificationItem, user: User, upload) -> Evidence:
    """Attach an evidence file to an item the branch is still working on (not while 党建部 checks it)."""
    ext = validate_evidence(upload)
    item = _locked(item)
    if item.status == ItemStatus.ACCEPTED:
        raise TransitionRefused(_("该事项已验收，不能再上传佐证材料。"), code="closed")
    if item.status == ItemStatus.COMPLETED:
        raise TransitionRefused(
            _("该事项已提交验收，佐证材料已锁定，不能再上传；如被退回，可补充上传。"), code="frozen"
        )
    name = shorten_keeping_extension(strip_hidden(upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]), 200)
    evidence = Evidence(item=item, original_name=name, size=upload.size, kind=ext, uploaded_by=user)
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    ItemEvent.objects.create(item=item, user=user, note=_("上传佐证材料：%(name)s") % {"name": name})
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    """The branch takes back a file uploaded by mistake, as long as it was never submitted for acceptance."""
    item = _locked(evidence.item)
    if item.status == ItemStatus.ACCEPTED:
        raise TransitionRefused(_("该事项已验收，佐证材料不能再删除。"), code="closed")
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_frozen or item.status == ItemStatus.COMPLETED:
        raise TransitionRefused(
            _("佐证材料“%(name)s”已随整改提交验收，不能删除。") % {"name": evidence.original_name}, code="frozen"
        )
    name = evidence.original_name
    stored = evidence.file.name
    evidence.delete()
    ItemEvent.objects.create(item=item, user=user, note=_("删除佐证材料：%(name)s") % {"name": name})
    # The file goes only once the row's deletion is committed.
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(stored))


def evidence_orphans_remove(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> list[str]:
    """Delete evidence files that no row refers to: an upload whose transaction rolled back after
    the file was written (Django has no on-rollback hook). Only files older than `older_than`, so an
    upload still in flight is never touched. Returns the names removed.

    Walks the evidence storage (local disk or the shared bucket) under `evidence/`."""
    from django.core.files.storage import default_storage

    known = set(Evidence.objects.values_list("file", flat=True))
    cutoff = timezone.now() - older_than
    removed = []
    for name in _storage_walk(default_storage, "evidence"):
        if name not in known and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            removed.append(name)
    return removed


def _storage_walk(storage, folder: str):
    """Every file name under `folder` of a Django storage, recursively."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in files:
        yield f"{folder}/{filename}"
    for sub in folders:
        yield from _storage_walk(storage, f"{folder}/{sub}")


# --- look-back (回头看) ----------------------------------------------------------------------------


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
            _move(
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
    _refresh_closed(look_back.interview)
    for item in reopened:
        _secretary_notice(
            item, _("回头看发现整改事项“%(item)s”成效未保持，已重新打开。") % {"item": item.description[:60]}
        )
    return reopened


# --- reminders ------------------------------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None) -> list[Reminder]:
    """Remind the responsible secretary of every open item due within REMIND_DAYS or overdue.

    One reminder per item per day at most: the (item, day) row is claimed first, inside its own
    transaction, and the notice (portal + e-mail) is sent only by whoever claimed it.
    """
    today = today or timezone.localdate()
    sent = []
    for item in items_to_remind(today):
        user_id = _recipient_id(item)
        if not user_id:
            continue
        kind = Reminder.Kind.OVERDUE if item.deadline < today else Reminder.Kind.DUE_SOON
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                item=item, sent_on=today, defaults={"user_id": user_id, "kind": kind}
            )
            if not created:
                continue
            if kind == Reminder.Kind.OVERDUE:
                message = _("整改事项“%(item)s”已逾期（完成时限 %(deadline)s），请尽快完成并报告进展。")
            else:
                message = _("整改事项“%(item)s”将于 %(deadline)s 到期，请按时完成并上传佐证材料。")
            notice_send(
                user_id=user_id,
                message=message % {"item": item.description[:60], "deadline": item.deadline.isoformat()},
                url=item.get_absolute_url(),
                email=True,
            )
        sent.append(reminder)
    return sent
