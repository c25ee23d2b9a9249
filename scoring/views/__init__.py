"""Cross-inspection pages. Each view: parse, one access helper, one service, render or redirect."""

from __future__ import annotations

from scoring.views.dept import (
    assignment_auto,
    assignment_move,
    contribution_delete,
    contributions,
    group_create,
    group_delete,
    group_edit,
    quarter_groups,
    quarter_overview,
    quarter_transition,
    sheet_return,
)
from scoring.views.desk import (
    deduction_create,
    deduction_delete,
    deduction_edit,
    indicator_create,
    indicator_delete,
    indicator_edit,
    indicator_move,
    quarter_create,
    quarter_setup,
    scheme,
)
from scoring.views.inspection import (
    contributions_current,
    group_detail,
    groups_current,
    index,
    my_groups,
    sheet_detail,
    sheet_save,
)

__all__ = [
    "assignment_auto",
    "assignment_move",
    "contribution_delete",
    "contributions",
    "contributions_current",
    "deduction_create",
    "deduction_delete",
    "deduction_edit",
    "group_create",
    "group_delete",
    "group_detail",
    "group_edit",
    "groups_current",
    "index",
    "indicator_create",
    "indicator_delete",
    "indicator_edit",
    "indicator_move",
    "my_groups",
    "quarter_create",
    "quarter_groups",
    "quarter_overview",
    "quarter_setup",
    "quarter_transition",
    "scheme",
    "sheet_detail",
    "sheet_return",
    "sheet_save",
]
