"""Quarters, indicator schemes (考核指标体系) and the cross-inspection's scores.

Scores, points and maxima are Decimal end to end.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Category
from scoring.numbers import TENTH
from scoring.scheme import SCHEME_ORDER, scheme_q

QUARTER_CODE_RE = re.compile(r"^(?P<year>\d{4})Q(?P<number>[1-4])$")


class QuarterQuerySet(models.QuerySet):
    def newest_first(self) -> QuarterQuerySet:
        return self.order_by("-year", "-number")

    def published(self) -> QuarterQuerySet:
        """The published quarters, newest first (the record everyone may read)."""
        return self.filter(status=Quarter.Status.PUBLISHED).newest_first()

    def latest_published(self) -> Quarter | None:
        """The newest published quarter, or None before the first publication."""
        return self.published().first()


class Quarter(models.Model):
    """一个考评季度, e.g. 2019Q1. Moves 准备 → 评分中 → 已截止 → 已发布."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("准备")
        SCORING = "scoring", _("评分中")
        CLOSED = "closed", _("已截止")
        PUBLISHED = "published", _("已发布")

    # Allowed moves. 已截止 may reopen for late corrections; 已发布 is final.
    TRANSITIONS = {
        Status.PREPARING: {Status.SCORING},
        Status.SCORING: {Status.CLOSED, Status.PUBLISHED},
        Status.CLOSED: {Status.SCORING, Status.PUBLISHED},
        Status.PUBLISHED: set(),
    }

    # The evaluating unit (考评单位) running the quarter: everything the quarter holds is its.
    unit = models.ForeignKey(
        "branches.Unit",
        on_delete=models.PROTECT,
        related_name="quarters",
        verbose_name=_("考评单位"),
        limit_choices_to={"is_evaluating": True},
    )
    code = models.CharField(_("季度"), max_length=6)
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("季度序号"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("开始评分时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    # Set with the scheme: the most contribution points (贡献度积分) one branch may get this quarter.
    contribution_cap = models.DecimalField(
        _("贡献度积分上限"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("每个党组织本季度贡献度积分合计的上限（分），随考核指标体系设定"),
    )
    # Published by its unit as the standard scheme for the units below (a new quarter of a unit
    # without an earlier one starts from the nearest template above).
    is_template = models.BooleanField(
        _("下级单位模板"), default=False, help_text=_("将本季度的考核指标体系发布为下级考评单位的模板")
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("复制自"),
        help_text=_("新建季度时复制其考核指标体系和检查组的季度"),
    )

    objects = QuarterQuerySet.as_manager()

    class Meta:
        verbose_name = _("考评季度")
        verbose_name_plural = _("考评季度")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="quarter_code_unique_in_unit"),
            models.UniqueConstraint(fields=["unit", "year", "number"], name="quarter_year_number_unique"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if self.unit_id is None:
            # Created without a unit (as before the unit tree): the only evaluating unit there is.
            from branches.units import evaluating_unit_named

            self.unit = evaluating_unit_named(None)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return _("%(year)s年第%(number)s季度") % {"year": self.year, "number": self.number}

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def is_scoring(self) -> bool:
        return self.status == self.Status.SCORING

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def scheme_is_frozen(self) -> bool:
        """The scheme may change only while the quarter is being prepared."""
        return self.status != self.Status.PREPARING

    @staticmethod
    def parse_code(code: str) -> tuple[int, int] | None:
        match = QUARTER_CODE_RE.match(code or "")
        if not match:
            return None
        return int(match["year"]), int(match["number"])


class IndicatorQuerySet(models.QuerySet):
    def for_category(self, category: str) -> IndicatorQuerySet:
        """The indicators a branch of `category` is scored on (scoring.scheme), in scheme order."""
        return self.filter(scheme_q("", category)).order_by(*SCHEME_ORDER)


class Indicator(models.Model):
    """One line of a quarter's scheme. `category` empty = one of the five standardizations, for all."""

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("季度"))
    category = models.CharField(
        _("适用类别"),
        max_length=1,
        choices=Category.choices,
        blank=True,
        help_text=_("留空表示“五个标准化”通用指标，适用于所有类别"),
    )
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=100)
    max_score = models.DecimalField(
        _("满分"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(TENTH, message=_("满分必须大于 0。"))],
    )
    guidance = models.TextField(_("评分说明"), blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        # The five standardizations (empty category) first, then each category's own criteria.
        ordering = ["quarter", *SCHEME_ORDER]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "code"], name="indicator_code_unique_per_quarter"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_standard(self) -> bool:
        return not self.category


class DeductionItem(models.Model):
    """扣分标准: one stated way an indicator loses points, e.g. "每发现一处扣 0.5 分（最多扣 3 分）" or
    "未按期开展扣 2 分". The indicator's proposed score is its maximum minus its deductions, never
    below zero (scoring.deductions)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="deductions", verbose_name=_("考核指标")
    )
    description = models.CharField(_("扣分情形"), max_length=200)
    points = models.DecimalField(
        _("扣分"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(TENTH, message=_("扣分必须大于 0。"))],
    )
    per_occurrence = models.BooleanField(
        _("按处扣分"), default=True, help_text=_("勾选表示“每发现一处扣分”；不勾选表示发现即扣一次")
    )
    cap = models.DecimalField(
        _("最多扣分"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(TENTH, message=_("最多扣分必须大于 0。"))],
        help_text=_("留空表示不设上限（仍不会扣到 0 分以下）"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("扣分标准")
        verbose_name_plural = _("扣分标准")
        ordering = ["indicator", "position", "id"]

    def __str__(self) -> str:
        return f"{self.description}（{self.rule_text}）"

    @property
    def rule_text(self) -> str:
        """The rule in the words of a 考核细则: 每发现一处扣 0.5 分，最多扣 3 分 / 扣 2 分."""
        points = self.points.normalize()
        if self.per_occurrence:
            text = gettext("每发现一处扣 %(points)s 分") % {"points": points}
        else:
            text = gettext("扣 %(points)s 分") % {"points": points}
        if self.cap is not None:
            text += gettext("，最多扣 %(cap)s 分") % {"cap": self.cap.normalize()}
        return text


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


class ContributionPoint(models.Model):
    """贡献度积分: extra points for a branch in a quarter, each with its reason."""

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("季度"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("党组织"))
    points = models.DecimalField(_("积分"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("事由"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("贡献度积分")
        verbose_name_plural = _("贡献度积分")
        ordering = ["quarter", "branch", "id"]

    def __str__(self) -> str:
        return f"{self.branch} {self.points}"


class CalibrationBranch(models.Model):
    """校准党组织: a branch 党建部 has every inspection group score in a quarter, so that the spread
    of the groups' scores on the same branch measures their severity directly (fairness.statistics).
    It stays with scoring: the assignment rules (scoring.services.groups) read it."""

    quarter = models.ForeignKey(
        Quarter, on_delete=models.CASCADE, related_name="calibration_branches", verbose_name=_("季度")
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("设置人"),
    )
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("校准党组织")
        verbose_name_plural = _("校准党组织")
        ordering = ["quarter", "branch__category", "branch__name"]
        constraints = [models.UniqueConstraint(fields=["quarter", "branch"], name="calibration_branch_unique")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.branch}"
