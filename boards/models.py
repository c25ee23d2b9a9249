"""The red/blue board (红蓝榜): adjustment table, exclusions, and the published rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Category
from scoring.models import Quarter


class Board(models.TextChoices):
    RED = "red", _("红榜")
    BLUE = "blue", _("蓝榜")


class AdjustmentRule(models.Model):
    """月度绩效加扣分: points per category × board, set by the committee (edited by 党建部)."""

    category = models.CharField(_("类别"), max_length=1, choices=Category.choices)
    board = models.CharField(_("榜单"), max_length=4, choices=Board.choices)
    points = models.DecimalField(_("绩效加扣分"), max_digits=4, decimal_places=2)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("绩效加扣分标准")
        verbose_name_plural = _("绩效加扣分标准")
        ordering = ["category", "board"]
        constraints = [models.UniqueConstraint(fields=["category", "board"], name="adjustment_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.get_board_display()} {self.points}"


class Exclusion(models.Model):
    """A branch left out of a quarter's ranking by 党建部, with the written reason shown on the board."""

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="exclusions", verbose_name=_("季度"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("党组织"))
    reason = models.TextField(_("不参加排名的原因"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("不参加排名")
        verbose_name_plural = _("不参加排名")
        constraints = [models.UniqueConstraint(fields=["quarter", "branch"], name="exclusion_unique")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.branch}"


class BoardEntry(models.Model):
    """One branch's published result for a quarter. Written once at publication; never recomputed,
    so later edits to scores, points or the adjustment table cannot change a published board."""

    class Status(models.TextChoices):
        RANKED = "ranked", _("已排名")
        UNSCORED = "unscored", _("未完成评分")
        EXCLUDED = "excluded", _("不参加排名")

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="board_entries", verbose_name=_("季度"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="board_entries", verbose_name=_("党组织"))
    category = models.CharField(_("类别"), max_length=1, choices=Category.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RANKED)
    indicator_total = models.DecimalField(_("指标得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    contribution = models.DecimalField(_("贡献度积分"), max_digits=8, decimal_places=2, default=0)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    board = models.CharField(_("榜单"), max_length=4, choices=Board.choices, blank=True)
    adjustment = models.DecimalField(_("绩效加扣分"), max_digits=4, decimal_places=2, default=0)
    note = models.TextField(_("说明"), blank=True)
    # indicator id (as text) → the score shown on the board ("9.50"), frozen with the rest of the row.
    indicator_scores = models.JSONField(_("各项指标得分"), default=dict, blank=True)

    class Meta:
        verbose_name = _("榜单结果")
        verbose_name_plural = _("榜单结果")
        ordering = ["quarter", "category", "rank", "branch__name"]
        constraints = [models.UniqueConstraint(fields=["quarter", "branch"], name="board_entry_unique")]
        indexes = [models.Index(fields=["quarter", "category", "rank"])]

    def __str__(self) -> str:
        return f"{self.quarter} {self.branch} {self.rank or '-'}"
