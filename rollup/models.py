"""What the roll-up keeps of each published board: one summary row per published quarter.

A published board never changes (BoardEntry is written once), so its summary is computed once —
when a roll-up first meets the quarter — and read from then on: a roll-up of 1,500 units reads
1,500 rows, and a trend over eight quarter codes eight times that, instead of every board row of
every quarter. Rectification, which moves after publication, is not kept here (read live)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models import Quarter


class QuarterSummary(models.Model):
    """A published quarter's board in numbers: counts, each category's totals, the boards' names."""

    quarter = models.OneToOneField(
        Quarter, on_delete=models.CASCADE, primary_key=True, related_name="summary", verbose_name=_("季度")
    )
    branches = models.PositiveIntegerField(_("党组织数"))
    ranked = models.PositiveIntegerField(_("参加排名"))
    unscored = models.PositiveIntegerField(_("未完成评分"))
    excluded = models.PositiveIntegerField(_("不参加排名"))
    red_count = models.PositiveIntegerField(_("红榜数"))
    blue_count = models.PositiveIntegerField(_("蓝榜数"))
    # Each category's ranked branches and the sum of their totals (Ⅰ, Ⅱ, Ⅲ): the trend adds them up in SQL.
    ranked_1 = models.PositiveIntegerField(default=0)
    ranked_2 = models.PositiveIntegerField(default=0)
    ranked_3 = models.PositiveIntegerField(default=0)
    total_1 = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total_2 = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total_3 = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # {"red": [names], "blue": [names], "blue_ids": [branch ids], "low": {category: "84.50"},
    #  "high": {…}, "bins": {category: [counts per distribution bin]}} — in board order.
    details = models.JSONField(_("明细"), default=dict)
    created_at = models.DateTimeField(_("汇总时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发布季度汇总")
        verbose_name_plural = _("已发布季度汇总")

    def __str__(self) -> str:
        return f"{self.quarter_id}"
