"""Quarters (考评季度) and their schemes (考核指标体系): indicators and their deduction items."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Category
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

    def visible_to(self, user) -> QuarterQuerySet:
        """Quarters of the units the user's role reaches: their evaluating unit and every unit below
        (one indexed path prefix; superusers: all). What of them the user sees is the access
        helpers' call: below their own unit, only what is published."""
        from branches.units import home_unit

        if getattr(user, "is_superuser", False):
            return self
        home = home_unit(user)
        return self.filter(unit__path__startswith=home.path) if home is not None else self.none()

    def readable_by(self, user) -> QuarterQuerySet:
        """The quarters whose record the user may read: published ones in reach, and the user's own
        unit's whatever their state (the pages then check the role)."""
        from branches.units import home_unit

        home = home_unit(user)
        own = models.Q(unit=home) if home is not None else models.Q(pk__in=[])
        return self.visible_to(user).filter(own | models.Q(status=Quarter.Status.PUBLISHED))

    def run_by(self, user) -> QuarterQuerySet:
        """The quarters of the user's own evaluating unit (what its 党建部 runs); none when a page
        was asked for another unit's (`?unit=`): its work in progress is not the user's."""
        from branches.units import home_unit, unit_choice

        home = home_unit(user)
        if home is None or unit_choice(user) not in (None, home.pk):
            return self.none()
        return self.filter(unit=home)


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
    # Frozen at publication, as the board's rows freeze each branch's unit: the 通报 keeps the name it
    # was signed with when the unit is renamed later (boards.selectors.published.announcement_company).
    published_unit_name = models.CharField(_("发布时的单位名称"), max_length=100, blank=True)
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
