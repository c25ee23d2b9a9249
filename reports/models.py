"""Export jobs: an Excel report built by a Celery task, then offered for download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from scoring.models import Quarter


class ReportKind(models.TextChoices):
    """The four reports of issue 7, and the dashboards' two downloads (issue 20), built by the same task."""

    SCORES = "scores", _("评分明细")
    BOARD = "board", _("红蓝榜")
    ADJUSTMENTS = "adjustments", _("绩效加扣分")
    RECTIFICATION = "rectification", _("整改进度")
    DASHBOARD = "dashboard", _("党支部积分看板")
    OVERVIEW = "overview", _("党委总览")
    # Issue 17: a unit's roll-up for one quarter code (rollup.selectors, built by reports.rollup):
    # params {"unit": id, "unit_name": name}; the job's quarter is one quarter of that code below it.
    ROLLUP = "rollup", _("红蓝榜汇总")


# Requested from the dashboards' own pages (dashboards.exports builds them), by whoever may read them.
DASHBOARD_KINDS = (ReportKind.DASHBOARD, ReportKind.OVERVIEW)


class ExportJob(models.Model):
    """导出任务: one request for one report. The file exists only once the job is done: it is
    written to a temporary name and renamed into place, so a half-written file is never offered."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("报表"), max_length=20, choices=ReportKind.choices)
    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="+", verbose_name=_("季度"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("申请人"),
    )
    # The page's filters of a dashboard download (category, unit, branch); empty for the reports.
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    file_name = models.CharField(_("文件"), max_length=200, blank=True, help_text=_("相对于报表目录"))
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    # Written with every progress update (at least every few seconds while the report is built):
    # a running job whose heartbeat stops has lost its worker (reports.services._stale_running).
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.quarter.code} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("reports:export_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def file_exists(self) -> bool:
        from reports.storage import reports_storage

        return bool(self.file_name) and reports_storage().exists(self.file_name)

    def open_file(self):
        """The finished workbook, from the reports storage (local disk or the shared bucket)."""
        from reports.storage import reports_storage

        return reports_storage().open(self.file_name, "rb")

    @property
    def download_name(self) -> str:
        if self.kind == ReportKind.DASHBOARD:  # it covers several quarters: named by its day
            return f"{self.get_kind_display()}-{self._day()}.xlsx"
        if self.kind == ReportKind.ROLLUP:  # every unit's quarter of the code, below the unit
            return f"{self.params.get('unit_name', '')}-{self.quarter.code}-{self.get_kind_display()}.xlsx"
        return f"{self.quarter.code}-{self.get_kind_display()}.xlsx"

    @property
    def download_fallback(self) -> str:
        """The ASCII file name for clients that cannot read the Chinese one."""
        if self.kind == ReportKind.DASHBOARD:
            return f"dashboard-{self._day()}.xlsx"
        if self.kind == ReportKind.OVERVIEW:
            return f"overview-{self.quarter.code}.xlsx"
        if self.kind == ReportKind.ROLLUP:
            return f"rollup-{self.quarter.code}.xlsx"
        return f"{self.quarter.code}-{self.kind}.xlsx"

    def _day(self) -> str:
        from django.utils import timezone

        return timezone.localdate(self.created_at).isoformat() if self.created_at else timezone.localdate().isoformat()
