"""党员积分: party members of a branch, the points ledger its secretary keeps, and the member
ranking per quarter. Moved from branches (issue 16) with their tables: `db_table` keeps the names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, User


class PartyMember(models.Model):
    """党员: a party member of a branch, whose points (党员积分) the branch secretary keeps.
    Not necessarily a portal user."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="party_members", verbose_name=_("党组织"))
    name = models.CharField(_("姓名"), max_length=50)
    duty = models.CharField(_("职务"), max_length=50, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["branch", "name"]
        db_table = "branches_partymember"  # moved from branches (issue 16): the table kept its name
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="party_member_name_unique")]

    def __str__(self) -> str:
        return self.name


class MemberPoint(models.Model):
    """One line of the member points ledger (党员积分台账). Never edited: a correction is a new line."""

    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="points", verbose_name=_("党员"))
    date = models.DateField(_("日期"))
    points = models.DecimalField(_("积分"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("事由"), max_length=200)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员积分")
        verbose_name_plural = _("党员积分")
        ordering = ["-date", "-id"]
        db_table = "branches_memberpoint"
        indexes = [models.Index(fields=["member", "date"], name="branches_me_member__3e16d9_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.date} {self.points}"


class MemberRanking(models.Model):
    """A branch's member ranking for a calendar quarter, published by its secretary or 党建部: the
    rows are frozen at publication, and the ledger of that quarter is closed from then on."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="member_rankings", verbose_name=_("党组织")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("季度序号"))
    # [{"rank": 1, "name": "…", "points": "12.0"}, …] in rank order.
    rows = models.JSONField(_("排名"), default=list)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("发布人")
    )
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员积分排名")
        verbose_name_plural = _("党员积分排名")
        ordering = ["-year", "-number", "branch"]
        db_table = "branches_memberranking"
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "number"], name="member_ranking_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}Q{self.number}"

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"
