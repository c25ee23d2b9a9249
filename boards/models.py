"""The red/blue board (红蓝榜): adjustment table, exclusions, and the published rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Category, Unit
from scoring import numbers
from scoring.models import Indicator, Quarter


class Board(models.TextChoices):
    RED = numbers.RED, _("红榜")
    BLUE = numbers.BLUE, _("蓝榜")


class AdjustmentRule(models.Model):
    """月度绩效加扣分: points per category × board, set by an evaluating unit's committee (edited by
    its 党建部): each unit has its own table."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="adjustment_rules", verbose_name=_("考评单位")
    )
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
        constraints = [models.UniqueConstraint(fields=["unit", "category", "board"], name="adjustment_rule_unique")]

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
    so later edits to scores, points or the adjustment table cannot change a published board.

    The branch's name, unit and category are stored as they were: every page and export of a
    published quarter reads them here, so renaming, moving or recategorising the branch later
    changes nothing published. Its per-indicator scores are BoardScore rows, its scheme
    PublishedIndicator rows. The branch is PROTECTed: a branch with a published result cannot be
    deleted (deactivate it instead), so the record always names the organisation it is about."""

    class Status(models.TextChoices):
        RANKED = "ranked", _("已排名")
        UNSCORED = "unscored", _("未完成评分")
        EXCLUDED = "excluded", _("不参加排名")

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="board_entries", verbose_name=_("季度"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="board_entries", verbose_name=_("党组织"))
    branch_name = models.CharField(_("组织名称"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("所属单位")
    )
    unit_name = models.CharField(_("所属单位名称"), max_length=100, blank=True)
    category = models.CharField(_("类别"), max_length=1, choices=Category.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RANKED)
    indicator_total = models.DecimalField(_("指标得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    contribution = models.DecimalField(_("贡献度积分"), max_digits=8, decimal_places=2, default=0)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    board = models.CharField(_("榜单"), max_length=4, choices=Board.choices, blank=True)
    adjustment = models.DecimalField(_("绩效加扣分"), max_digits=4, decimal_places=2, default=0)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("榜单结果")
        verbose_name_plural = _("榜单结果")
        ordering = ["quarter", "category", "rank", "branch_name"]
        constraints = [models.UniqueConstraint(fields=["quarter", "branch"], name="board_entry_unique")]
        indexes = [
            models.Index(fields=["quarter", "category", "rank"]),
            # The board page at 50,000 branches: a page of one category's ranking and its count
            # (index-only once vacuumed), and the few red, blue and unranked rows without a scan.
            models.Index(
                fields=["quarter", "category", "rank"], condition=Q(status="ranked"), name="board_entry_ranked_idx"
            ),
            models.Index(
                fields=["quarter"], condition=~Q(board="") | ~Q(status="ranked"), name="board_entry_marked_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.branch} {self.rank or '-'}"


class PublishedIndicator(models.Model):
    """A line of the quarter's scheme as it was published (code, name, maximum): what the published
    board's columns show, whatever happens to the scheme afterwards."""

    quarter = models.ForeignKey(
        Quarter, on_delete=models.CASCADE, related_name="published_indicators", verbose_name=_("季度")
    )
    # The scheme line it was copied from; kept only to trace it back (never read by a published page).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("原指标")
    )
    category = models.CharField(_("适用类别"), max_length=1, choices=Category.choices, blank=True)
    code = models.CharField(_("编号"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=100)
    max_score = models.DecimalField(_("满分"), max_digits=5, decimal_places=1)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("已发布的考核指标")
        verbose_name_plural = _("已发布的考核指标")
        ordering = ["quarter", "category", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["quarter", "code"], name="published_indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.code} {self.name}"


class CategoryMean(models.Model):
    """A category's mean on one indicator as published: the mean of its ranked branches' scores
    (BoardScore), rounded to 0.01 — what each branch page sets its own score against (本类平均).
    Written by publication beside the board rows, so that a branch page reads its category's few
    means instead of every ranked branch's scores."""

    quarter = models.ForeignKey(
        Quarter, on_delete=models.CASCADE, related_name="category_means", verbose_name=_("季度")
    )
    category = models.CharField(_("类别"), max_length=1, choices=Category.choices)
    indicator = models.ForeignKey(
        PublishedIndicator, on_delete=models.CASCADE, related_name="category_means", verbose_name=_("指标")
    )
    mean = models.DecimalField(_("本类平均"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("本类指标平均分")
        verbose_name_plural = _("本类指标平均分")
        constraints = [
            models.UniqueConstraint(fields=["quarter", "category", "indicator"], name="category_mean_unique")
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.category} {self.indicator_id} {self.mean}"


class BoardScore(models.Model):
    """One branch's score on one indicator as published (the mean of the groups' scores, 0.01):
    written with the board rows, in the publishing transaction, and never recomputed.

    The branch is PROTECTed, like BoardEntry's: a branch with a published result cannot be deleted
    (it is deactivated instead), so the record keeps pointing at the organisation it is about.

    The foreign keys have no database constraint (db_constraint=False): a 5,000-branch publication
    writes ~50,000 rows, and PostgreSQL's deferred foreign-key checks of three keys per row took
    9 s at commit (bench/publish.py). The rows are written by publication alone; Django still
    PROTECTs the branch and cascades with the quarter, and the database still refuses to delete a
    published branch through BoardEntry's constrained key."""

    quarter = models.ForeignKey(
        Quarter,
        on_delete=models.CASCADE,
        related_name="board_scores",
        verbose_name=_("季度"),
        db_constraint=False,
        db_index=False,  # the unique constraint's index starts with the quarter
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="board_scores",
        verbose_name=_("党组织"),
        db_constraint=False,
        db_index=False,  # looked up only when a branch is deleted (refused): a scan is fine there
    )
    indicator = models.ForeignKey(
        PublishedIndicator,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("指标"),
        db_constraint=False,
        db_index=False,  # read through the quarter's rows only
    )
    value = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("榜单指标得分")
        verbose_name_plural = _("榜单指标得分")
        # Also the index of every read: a quarter's scores, or those of a page of its branches.
        constraints = [
            models.UniqueConstraint(fields=["quarter", "branch", "indicator"], name="board_score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.branch_id} {self.indicator_id} {self.value}"


class FollowUp(models.Model):
    """发布后续工作: one job that must happen after a quarter is published (notices, interviews,
    star ratings, severity report). Written in the publication's own transaction (an outbox), so a
    broker that fails at commit loses nothing: the worker runs the job and marks it done in one
    transaction, and a periodic sweep re-queues any job not done (boards.followups)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待执行")
        DONE = "done", _("已完成")
        FAILED = "failed", _("出错，将重试")

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("季度"))
    name = models.CharField(_("工作"), max_length=200, help_text=_("执行函数的路径"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("执行次数"), default=0)
    error = models.TextField(_("最近一次错误"), blank=True)
    result = models.CharField(_("结果"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    queued_at = models.DateTimeField(_("最近排队时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发布后续工作")
        verbose_name_plural = _("发布后续工作")
        ordering = ["quarter", "id"]
        constraints = [models.UniqueConstraint(fields=["quarter", "name"], name="follow_up_unique")]
        indexes = [models.Index(fields=["status", "queued_at"], name="follow_up_status_idx")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.name}"
