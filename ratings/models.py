"""Star ratings (星级党支部): the rule 党建部 sets and the ratings computed at publication.

The tables keep the names they had in boards (moved with SeparateDatabaseAndState, issue 16)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from scoring.models import Quarter


class StarLevel(models.Model):
    """星级党支部评定标准: one line per star level, edited by 党建部 (ratings.rules has the rule)."""

    stars = models.PositiveSmallIntegerField(_("星级"), unique=True)
    min_average = models.DecimalField(_("近四个已发布季度平均总分不低于"), max_digits=5, decimal_places=2)
    no_blue = models.BooleanField(_("期间不得上蓝榜"), default=False)
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
        db_table = "boards_starlevel"
        verbose_name = _("星级评定标准")
        verbose_name_plural = _("星级评定标准")
        ordering = ["-stars"]

    def __str__(self) -> str:
        return f"{self.stars}★ ≥ {self.min_average}"


class StarRating(models.Model):
    """A branch's star rating (星级) computed when a quarter is published; never recomputed. The
    year's rating is the one of its latest published quarter."""

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="star_ratings", verbose_name=_("季度"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="star_ratings", verbose_name=_("党组织"))
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    stars = models.PositiveSmallIntegerField(_("星级"), default=0)
    average = models.DecimalField(_("平均总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    quarters_counted = models.PositiveSmallIntegerField(_("计入季度数"), default=0)
    blue_count = models.PositiveSmallIntegerField(_("蓝榜次数"), default=0)
    # The rule it was computed with: [[stars, "95.00", true], …].
    rule = models.JSONField(_("评定标准"), default=list, blank=True)
    created_at = models.DateTimeField(_("评定时间"), auto_now_add=True)

    class Meta:
        db_table = "boards_starrating"
        verbose_name = _("星级党支部评定")
        verbose_name_plural = _("星级党支部评定")
        ordering = ["quarter", "-stars", "branch__name"]
        constraints = [models.UniqueConstraint(fields=["quarter", "branch"], name="star_rating_unique")]
        # The board page lists a quarter's rated branches (stars > 0): a few thousand of 50,000.
        indexes = [models.Index(fields=["quarter", "stars"], name="star_rating_quarter_stars_idx")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.branch} {self.stars}★"
