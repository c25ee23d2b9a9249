"""Per-branch additions to a quarter: contribution points (贡献度积分) and calibration branches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from scoring.models.quarters import Quarter


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
