"""What a board does not count: drafts, returned sheets, branches without a sheet."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from boards.models import Exclusion
from branches.models import Branch
from scoring.models import Quarter, ScoreSheet

DRAFT = "draft"
RETURNED = "returned"
MISSING = "missing"


@dataclass(frozen=True)
class UncountedSheet:
    """An assigned sheet the board does not count: a draft, a sheet 党建部 returned (with its
    reason) and not submitted again, or an active branch with no sheet at all (`sheet_id` None)."""

    branch_id: int
    branch_name: str
    category: str
    kind: str
    quarter_code: str
    sheet_id: int | None = None
    group_name: str = ""
    return_reason: str = ""
    excluded: bool = False

    @property
    def kind_label(self) -> str:
        return {DRAFT: _("草稿，未提交"), RETURNED: _("已退回，未重新提交"), MISSING: _("没有评分表")}[self.kind]

    @property
    def scorer(self) -> str:
        if self.kind == MISSING:
            return _("未分配检查组")
        return self.group_name or _("党建部录入")

    @property
    def url(self) -> str:
        if self.sheet_id is None:
            return reverse("scoring:quarter_groups", args=[self.quarter_code])
        return reverse("scoring:sheet", args=[self.sheet_id])

    def describe(self) -> str:
        """One line naming the sheet, for the publication refusal."""
        state = self.kind_label
        if self.return_reason:
            state = _("%(state)s：%(reason)s") % {"state": state, "reason": self.return_reason}
        return _("%(branch)s（%(scorer)s，%(state)s）") % {
            "branch": self.branch_name,
            "scorer": self.scorer,
            "state": state,
        }


def uncounted_sheets(quarter: Quarter) -> list[UncountedSheet]:
    """Every sheet of the quarter's active branches that the board does not count, and every active
    branch without a sheet, in category and name order. Excluded branches are marked (`excluded`):
    they do not hold publication up. Three queries."""
    excluded = set(Exclusion.objects.filter(quarter=quarter).values_list("branch_id", flat=True))
    out = [
        UncountedSheet(
            branch_id=branch_id,
            branch_name=name,
            category=category,
            kind=RETURNED if reason else DRAFT,
            quarter_code=quarter.code,
            sheet_id=sheet_id,
            group_name=group or "",
            return_reason=reason,
            excluded=branch_id in excluded,
        )
        for sheet_id, branch_id, name, category, group, reason in ScoreSheet.objects.filter(
            quarter=quarter, branch__is_active=True
        )
        .exclude(status=ScoreSheet.Status.SUBMITTED)
        .values_list("pk", "branch_id", "branch__name", "branch__category", "group__name", "return_reason")
        .iterator(chunk_size=5000)
    ]
    out += [
        UncountedSheet(
            branch_id=branch_id,
            branch_name=name,
            category=category,
            kind=MISSING,
            quarter_code=quarter.code,
            excluded=branch_id in excluded,
        )
        for branch_id, name, category in Branch.objects.for_quarter(quarter)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter).values("branch_id"))
        .values_list("id", "name", "category")
        .iterator(chunk_size=5000)
    ]
    out.sort(key=lambda u: (u.category, u.branch_name, u.group_name, u.sheet_id or 0))
    return out


def branch_has_uncounted_sheet(quarter: Quarter, branch: Branch) -> bool:
    """Whether the board leaves some of the branch's work out: a sheet not submitted, or no sheet."""
    sheets = ScoreSheet.objects.filter(quarter=quarter, branch=branch)
    return not sheets.exists() or sheets.exclude(status=ScoreSheet.Status.SUBMITTED).exists()
