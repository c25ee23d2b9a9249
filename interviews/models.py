"""Checklist interviews (清单式约谈) and rectification (整改) — see issue 6.

Every blue-board branch of a published quarter gets one `Interview` holding its problem list
(问题清单); each problem becomes a `RectificationItem` that the branch secretary answers with a
measure (整改措施), a deadline (完成时限) and a responsible person (责任人), and that 党建部
accepts or returns. A `LookBack` (回头看) checks later whether each accepted change held.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from scoring.models import Problem, Quarter


class Interview(models.Model):
    """清单式约谈: the committee secretary interviews a blue-board branch's secretary, problem list in hand.

    The interview also carries the branch's rectification (整改): it is closed when every item is
    accepted (`rectification_closed_at`) and reopens when a look-back finds a change did not hold.
    """

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("季度"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("党组织"))
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("约谈人"),
    )
    interviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被约谈人"),
    )
    scheduled_at = models.DateTimeField(_("约谈时间"), null=True, blank=True)
    place = models.CharField(_("约谈地点"), max_length=100, blank=True)
    minutes = models.TextField(_("约谈记录"), blank=True)
    held_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    rectification_closed_at = models.DateTimeField(_("整改销号时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("清单式约谈")
        verbose_name_plural = _("清单式约谈")
        ordering = ["-quarter__year", "-quarter__number", "branch__category", "branch__name"]
        constraints = [models.UniqueConstraint(fields=["quarter", "branch"], name="interview_unique_per_quarter")]

    def __str__(self) -> str:
        return f"{self.quarter.code} {self.branch}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:detail", args=[self.pk])

    @property
    def is_scheduled(self) -> bool:
        return self.scheduled_at is not None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def is_closed(self) -> bool:
        return self.rectification_closed_at is not None


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    # Reported done by the branch, awaiting 党建部's check: it is not finished until accepted.
    COMPLETED = "completed", _("待验收")
    ACCEPTED = "accepted", _("已验收")
    RETURNED = "returned", _("退回")


class Actor(models.TextChoices):
    """Who may make a move: the branch (its secretary), 党建部, or a look-back (also 党建部)."""

    BRANCH = "branch", _("支部书记")
    DEPT = "dept", _("党建部")
    LOOK_BACK = "look_back", _("回头看")


# The status machine, explicitly: (from, to) → who may make that move. Anything else is refused.
#   待整改 → 整改中            the branch answers the item (measure, deadline, responsible person)
#   整改中 → 待验收            the branch submits the item for acceptance, with evidence (or why none)
#   待验收 → 已验收 / 退回      党建部 accepts, or returns it with a reason
#   退回   → 整改中            the branch takes a returned item up again
#   已验收 → 整改中            a look-back finds the change did not hold: the item reopens
TRANSITIONS: dict[tuple[str, str], str] = {
    (ItemStatus.PENDING, ItemStatus.IN_PROGRESS): Actor.BRANCH,
    (ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED): Actor.BRANCH,
    (ItemStatus.COMPLETED, ItemStatus.ACCEPTED): Actor.DEPT,
    (ItemStatus.COMPLETED, ItemStatus.RETURNED): Actor.DEPT,
    (ItemStatus.RETURNED, ItemStatus.IN_PROGRESS): Actor.BRANCH,
    (ItemStatus.ACCEPTED, ItemStatus.IN_PROGRESS): Actor.LOOK_BACK,
}

# Items still the branch's to work on: these are reminded and can be overdue.
OPEN_STATUSES = (ItemStatus.PENDING, ItemStatus.IN_PROGRESS, ItemStatus.RETURNED)


class RectificationItem(models.Model):
    """整改清单的一项: one problem (or an item added later) and the branch's answer to it."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="items", verbose_name=_("约谈"))
    problem = models.ForeignKey(
        Problem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("发现问题")
    )
    description = models.TextField(_("问题"))
    measure = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    responsible = models.CharField(_("责任人"), max_length=50, blank=True)
    progress = models.TextField(_("整改进展"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PENDING, db_index=True
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    # Submitting for acceptance needs evidence; when there is truly none, the branch says why here.
    no_evidence_reason = models.TextField(_("无佐证材料的说明"), blank=True)
    position = models.PositiveIntegerField(_("序号"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    accepted_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("验收人"),
    )

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["interview", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["problem"], condition=Q(problem__isnull=False), name="item_unique_problem"),
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("interviews:item", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        """Past its deadline and still the branch's to finish."""
        if self.deadline is None or not self.is_open:
            return False
        return self.deadline < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def is_answered(self) -> bool:
        return bool(self.measure and self.deadline and self.responsible)


class ItemEvent(models.Model):
    """An item's history: every status move and progress report, who and when. Never edited."""

    item = models.ForeignKey(RectificationItem, on_delete=models.CASCADE, related_name="events", verbose_name=_("事项"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_status = models.CharField(_("原状态"), max_length=12, choices=ItemStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=ItemStatus.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.from_status} → {self.to_status}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # A random stored name: the original name is kept in a column, never used as a path.
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Evidence(models.Model):
    """佐证材料: a file the branch uploads for an item. Stored under MEDIA_ROOT, served by a view
    that checks access (never from the static tree)."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("事项")
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    kind = models.CharField(_("类型"), max_length=10)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Set when the item is submitted for acceptance with this file: from then on it is part of the
    # record 党建部 checked and can no longer be removed (even after a return).
    submitted_at = models.DateTimeField(_("提交验收时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("interviews:evidence", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.submitted_at is not None


class LookBack(models.Model):
    """回头看: 党建部 checks, some weeks after acceptance, whether the branch's changes held."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="look_backs", verbose_name=_("约谈")
    )
    scheduled_on = models.DateField(_("计划日期"))
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("安排人")
    )
    created_at = models.DateTimeField(_("安排时间"), auto_now_add=True)
    conducted_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查人"),
    )

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["interview", "scheduled_on", "id"]

    def __str__(self) -> str:
        return f"{self.interview} {self.scheduled_on}"

    @property
    def is_done(self) -> bool:
        return self.conducted_at is not None


class LookBackResult(models.Model):
    """Per item: did the change hold? An item that did not hold reopens."""

    look_back = models.ForeignKey(LookBack, on_delete=models.CASCADE, related_name="results", verbose_name=_("回头看"))
    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="look_back_results", verbose_name=_("事项")
    )
    held = models.BooleanField(_("整改成效保持"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("回头看结果")
        verbose_name_plural = _("回头看结果")
        constraints = [models.UniqueConstraint(fields=["look_back", "item"], name="look_back_result_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {self.held}"


class Reminder(models.Model):
    """A reminder sent about one item on one day: the unique pair keeps reminders from repeating."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已逾期")

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("事项")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("提醒对象")
    )
    sent_on = models.DateField(_("提醒日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改提醒")
        verbose_name_plural = _("整改提醒")
        ordering = ["-sent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["item", "sent_on"], name="reminder_once_per_item_per_day")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.sent_on} {self.kind}"
