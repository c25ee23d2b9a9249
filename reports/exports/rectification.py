"""整改进度: every rectification item of the quarter's interviews (a few per blue-board branch)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from baiyin_eval.xlsx import Column, ReportSpec, Row, SheetSpec
from boards.models import BoardEntry
from interviews.models import RectificationItem
from scoring.models import Quarter


def rectification_report(quarter: Quarter) -> ReportSpec:
    """Every rectification item of the quarter's interviews: measure, deadline, responsible
    person, status, overdue (overdue rows filled red). Branches appear by name and category as
    the quarter published them."""
    items = list(
        RectificationItem.objects.filter(interview__quarter=quarter)
        .select_related("interview__branch")
        .order_by("interview__branch__category", "interview__branch__name", "position", "id")
    )
    published = {
        branch_id: (category, name)
        for branch_id, category, name in BoardEntry.objects.filter(
            quarter=quarter, branch_id__in={i.interview.branch_id for i in items}
        ).values_list("branch_id", "category", "branch_name")
    }

    def shown(item) -> tuple[str, str]:
        branch = item.interview.branch
        return published.get(branch.pk, (branch.category, branch.name))

    items.sort(key=lambda item: (*shown(item), item.position, item.id))
    today = timezone.localdate()

    def rows() -> Iterator[Row]:
        for number, item in enumerate(items, start=1):
            overdue = item.is_overdue(today)
            yield Row(
                [
                    number,
                    shown(item)[1],
                    item.description,
                    item.measure,
                    item.deadline.isoformat() if item.deadline else "",
                    item.responsible,
                    item.get_status_display(),
                    _("是") if overdue else _("否"),
                    item.progress,
                ],
                fill="red" if overdue else "",
            )

    columns = [
        Column(_("序号"), 6),
        Column(_("党组织"), 24),
        Column(_("问题"), 30),
        Column(_("整改措施"), 32),
        Column(_("完成时限"), 12),
        Column(_("责任人"), 10),
        Column(_("状态"), 9),
        Column(_("是否逾期"), 9),
        Column(_("整改进展"), 30),
    ]
    sheet = SheetSpec(title=_("整改进度"), heading=_("整改进度"), columns=columns, rows=rows(), freeze_column=3)
    return ReportSpec(sheets=[sheet], row_count=len(items))
