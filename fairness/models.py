"""The severity report (检查组评分宽严度分析) as kept. Calibration branches stay in scoring.models
(CalibrationBranch): the assignment rules below this app read them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.models import Quarter


class SeverityReportRecord(models.Model):
    """The groups' severity report (检查组评分宽严度分析) as it stood when the quarter was published,
    kept with the published quarter (fairness.report.SeverityReport.as_dict)."""

    quarter = models.OneToOneField(
        Quarter, on_delete=models.CASCADE, related_name="severity_report", verbose_name=_("季度")
    )
    data = models.JSONField(_("分析结果"))
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        db_table = "scoring_severityreportrecord"
        verbose_name = _("检查组宽严度分析")
        verbose_name_plural = _("检查组宽严度分析")

    def __str__(self) -> str:
        return f"{self.quarter}"
