"""What the roll-up keeps of each published board: one summary row per published quarter.

A published board never changes (BoardEntry is written once), so its summary is written once, with
the publication (or when a roll-up first meets a quarter published before summaries existed), and
read from then on. Every total a roll-up page shows is a column here — counts, each category's
ranked branches, sum, lowest and highest total, its distribution bins, the branches blue for the
second quarter running — so the page sums them in SQL over the subtree and reads only the rows
it shows. Rectification, which moves after publication, is not kept here (counted live)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dashboards.stats import DISTRIBUTION_EDGES
from scoring.models import Quarter

CATEGORY_KEYS = ("1", "2", "3")  # branches.models.Category's values, as column suffixes
BIN_COUNT = len(DISTRIBUTION_EDGES) + 1  # six: the columns below are bin_<category>_0 … _5


def bin_field(category: str, index: int) -> str:
    """The column of one category's distribution bin (dashboards.stats.histogram's bins)."""
    return f"bin_{category}_{index}"


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
    # Blue on this board and on the unit's previous published board (when this one was published).
    repeat_blue = models.PositiveIntegerField(_("连续两季度蓝榜数"), default=0, db_default=0)
    low_1 = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    low_2 = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    low_3 = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    high_1 = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    high_2 = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    high_3 = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    # Each category's ranked totals per distribution bin: bin_1_0 … bin_3_5 (below 85, [85, 88) … [97, ∞)).
    bin_1_0 = models.PositiveIntegerField(default=0, db_default=0)
    bin_1_1 = models.PositiveIntegerField(default=0, db_default=0)
    bin_1_2 = models.PositiveIntegerField(default=0, db_default=0)
    bin_1_3 = models.PositiveIntegerField(default=0, db_default=0)
    bin_1_4 = models.PositiveIntegerField(default=0, db_default=0)
    bin_1_5 = models.PositiveIntegerField(default=0, db_default=0)
    bin_2_0 = models.PositiveIntegerField(default=0, db_default=0)
    bin_2_1 = models.PositiveIntegerField(default=0, db_default=0)
    bin_2_2 = models.PositiveIntegerField(default=0, db_default=0)
    bin_2_3 = models.PositiveIntegerField(default=0, db_default=0)
    bin_2_4 = models.PositiveIntegerField(default=0, db_default=0)
    bin_2_5 = models.PositiveIntegerField(default=0, db_default=0)
    bin_3_0 = models.PositiveIntegerField(default=0, db_default=0)
    bin_3_1 = models.PositiveIntegerField(default=0, db_default=0)
    bin_3_2 = models.PositiveIntegerField(default=0, db_default=0)
    bin_3_3 = models.PositiveIntegerField(default=0, db_default=0)
    bin_3_4 = models.PositiveIntegerField(default=0, db_default=0)
    bin_3_5 = models.PositiveIntegerField(default=0, db_default=0)
    # {"red": [names], "blue": [names], "blue_ids": [branch ids], "repeat_blue": [names],
    #  "low": {category: "84.50"}, "high": {…}, "bins": {category: [counts per bin]}} — in board order.
    details = models.JSONField(_("明细"), default=dict)
    created_at = models.DateTimeField(_("汇总时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发布季度汇总")
        verbose_name_plural = _("已发布季度汇总")

    def __str__(self) -> str:
        return f"{self.quarter_id}"
