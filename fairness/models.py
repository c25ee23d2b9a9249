"""The severity report (检查组评分宽严度分析) as kept. Calibration branches stay in scoring.models
(CalibrationBranch): the assignment rules below this app read them."""

from __future__ import annotations

from django.conf import settings
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


class SeverityRun(models.Model):
    """One computation of the severity report in the worker (fairness.tasks), started by 党建部
    before publication: the page shows the latest finished run's result and the progress of one
    under way, and never computes the report itself (issue 20)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("计算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("出错")

    class Stage(models.TextChoices):
        LOADING = "loading", _("读取已提交的评分")
        BETWEEN = "between", _("比较各检查组")
        CALIBRATION = "calibration", _("比较校准党组织上的评分")
        OUTLIERS = "outliers", _("查找偏离较大的单项评分")

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="severity_runs", verbose_name=_("季度"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    stage = models.CharField(_("进度"), max_length=20, choices=Stage.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    sheets = models.PositiveIntegerField(_("评分表数"), default=0)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)
    data = models.JSONField(_("分析结果"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("宽严度分析计算")
        verbose_name_plural = _("宽严度分析计算")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["quarter", "status", "finished_at"], name="severity_run_quarter_idx")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
