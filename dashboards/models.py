"""What the dashboards store: the leadership overview's counts over a published quarter, counted
once in publication's transaction (dashboards.services.overview_figures_store, a part of
publication registered in DashboardsConfig.ready()), so no reader pays PostgreSQL's counts over
the quarter's published scores. A published quarter is final (scoring.models.Quarter), so the row
never goes stale; quarters published before it existed are counted on their first visit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OverviewFigures(models.Model):
    """The overview's distribution per category and sums per indicator of one published quarter,
    as plain JSON (decimals as strings): dashboards.selectors.overview reads them back."""

    quarter = models.OneToOneField(
        "scoring.Quarter", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("季度")
    )
    distributions = models.JSONField(_("总分分布"))
    indicator_sums = models.JSONField(_("指标失分"))
    counted_at = models.DateTimeField(_("统计时间"), auto_now=True)

    class Meta:
        verbose_name = _("党委总览统计")
        verbose_name_plural = _("党委总览统计")

    def __str__(self) -> str:
        return str(self.quarter_id)
