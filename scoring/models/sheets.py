"""The cross-inspection (交叉互查): groups, score sheets, scores, problems found and the sheets' history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from scoring.models.quarters import DeductionItem, Indicator, Quarter


class InspectionGroup(models.Model):
    """检查组: grassroots party-work staff drawn by 党建部 to inspect assigned branches."""

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="groups", verbose_name=_("季度"))
    name = models.CharField(_("组名"), max_length=50)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("组长"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="inspection_groups", blank=True, verbose_name=_("成员")
    )

    class Meta:
        verbose_name = _("检查组")
        verbose_name_plural = _("检查组")
        ordering = ["quarter", "name"]
        constraints = [models.UniqueConstraint(fields=["quarter", "name"], name="group_name_unique_per_quarter")]

    def __str__(self) -> str:
        return f"{self.quarter.code} {self.name}"


class ScoreSheet(models.Model):
    """评分表: one group's scores for one branch in one quarter (the assignment itself).

    `group` is empty for scores entered by 党建部 directly (e.g. imported from a spreadsheet).
    `version` implements optimistic locking: a save names the version it was based on.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("季度"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("党组织"))
    group = models.ForeignKey(
        InspectionGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sheets",
        verbose_name=_("检查组"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["quarter", "branch__category", "branch__name"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "branch", "group"], name="sheet_unique_per_group"),
            models.UniqueConstraint(
                fields=["quarter", "branch"], condition=Q(group__isnull=True), name="sheet_unique_without_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter.code} {self.branch} {self.group.name if self.group else _('党建部')}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Method(models.TextChoices):
    """How a score was established."""

    RECORDS = "records", _("查阅资料")
    SYSTEMS = "systems", _("系统调阅")
    ACCOUNT = "account", _("听取介绍")


class Score(models.Model):
    """One indicator's score on a sheet. `value` empty = not scored yet."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("评分表"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores", verbose_name=_("指标"))
    value = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    methods = models.CharField(_("检查方式"), max_length=40, blank=True, help_text=_("以逗号分隔的检查方式代码"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [models.UniqueConstraint(fields=["sheet", "indicator"], name="score_unique_per_sheet")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value if self.value is not None else '-'}"

    @property
    def method_list(self) -> list[str]:
        return [m for m in self.methods.split(",") if m]


class Problem(models.Model):
    """问题: a problem found by the inspection, tied to a branch's indicator. Feeds the 问题清单."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="problems", verbose_name=_("评分表"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="problems", verbose_name=_("指标"))
    description = models.TextField(_("问题描述"))
    deduction = models.ForeignKey(
        DeductionItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("扣分标准"),
    )
    count = models.PositiveSmallIntegerField(
        _("处数"), default=1, validators=[MinValueValidator(1)], help_text=_("“每发现一处扣分”时发现的处数")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("记录人"),
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发现问题")
        verbose_name_plural = _("发现问题")
        ordering = ["sheet", "indicator__category", "indicator__position", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def deducted(self) -> Decimal | None:
        """The points this problem alone deducts under its rule (before the rule's cap is shared
        with other problems of the same rule), or None when it carries no deduction rule."""
        if self.deduction is None:
            return None
        amount = self.deduction.points * self.count if self.deduction.per_occurrence else self.deduction.points
        return min(amount, self.deduction.cap) if self.deduction.cap is not None else amount

    @property
    def deduction_summary(self) -> str:
        """会议记录不完整：扣 1.5 分（每发现一处扣 0.5 分，最多扣 3 分；发现 3 处）."""
        if self.deduction is None:
            return ""
        detail = self.deduction.rule_text
        if self.deduction.per_occurrence:
            detail += gettext("；发现 %(n)s 处") % {"n": self.count}
        return gettext("%(item)s：扣 %(points)s 分（%(detail)s）") % {
            "item": self.deduction.description,
            "points": self.deducted.normalize(),
            "detail": detail,
        }

    @property
    def deduction_text(self) -> str:
        """How the problem counts, for lists and exports: 扣分标准：每发现一处扣 0.5 分，最多扣 3 分；3 处."""
        if self.deduction is None:
            return ""
        text = gettext("扣分标准：%(rule)s") % {"rule": self.deduction.rule_text}
        if self.deduction.per_occurrence:
            text += gettext("；发现 %(n)s 处") % {"n": self.count}
        return text


class ScoreChange(models.Model):
    """History of a sheet: who changed what, when, old → new. Never edited.

    `version` is the sheet version the change produced: the changes a stale save missed are
    those with a version above the one the editor loaded.
    """

    class Field(models.TextChoices):
        SCORE = "score", _("得分")
        METHODS = "methods", _("检查方式")
        NOTE = "note", _("备注")
        PROBLEM = "problem", _("问题")
        SUBMIT = "submit", _("提交")
        RETURN = "return", _("退回")
        ASSIGN = "assign", _("分配检查组")

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="changes", verbose_name=_("评分表"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("指标")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    field = models.CharField(_("内容"), max_length=30, choices=Field.choices)
    old = models.TextField(_("原值"), blank=True)
    new = models.TextField(_("新值"), blank=True)
    version = models.PositiveIntegerField(_("评分表版本"), default=0)

    class Meta:
        verbose_name = _("评分修改记录")
        verbose_name_plural = _("评分修改记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"

    def _display(self, raw: str) -> str:
        if self.field == self.Field.METHODS:
            return "、".join(str(Method(m).label) for m in raw.split(",") if m in Method.values)
        return raw

    @property
    def old_display(self) -> str:
        return self._display(self.old)

    @property
    def new_display(self) -> str:
        return self._display(self.new)
