"""Reads for quarters, schemes, groups and sheets. A package by topic; everything public is importable
from `scoring.selectors` directly."""

from __future__ import annotations

from scoring.selectors.groups import (
    GroupProgress,
    group_sheets,
    groups_progress,
    inspector_groups,
    quarter_groups,
    quarter_groups_progress,
    unassigned_branches,
)
from scoring.selectors.quarters import (
    category_locked_message,
    contribution_totals,
    quarter_contributions,
    quarter_current,
    quarter_progress,
    quarter_scoring_branch,
    quarters_all,
    scoring_category_lock,
)
from scoring.selectors.scheme import (
    SCHEME_TARGET,
    CategoryTotal,
    SchemeSection,
    category_totals,
    required_counts,
    scheme_for_category,
    scheme_sections,
    scheme_with_deductions,
    section_title,
)
from scoring.selectors.sheets import (
    inspector_returned_sheets,
    sheet_deduction_table,
    sheet_history,
    sheet_last_version_by_others,
    sheet_problems,
    sheet_scores,
)

__all__ = [
    "SCHEME_TARGET",
    "CategoryTotal",
    "GroupProgress",
    "SchemeSection",
    "category_locked_message",
    "category_totals",
    "contribution_totals",
    "group_sheets",
    "groups_progress",
    "inspector_groups",
    "inspector_returned_sheets",
    "quarter_contributions",
    "quarter_current",
    "quarter_groups",
    "quarter_groups_progress",
    "quarter_progress",
    "quarter_scoring_branch",
    "quarters_all",
    "required_counts",
    "scheme_for_category",
    "scheme_sections",
    "scheme_with_deductions",
    "scoring_category_lock",
    "section_title",
    "sheet_deduction_table",
    "sheet_history",
    "sheet_last_version_by_others",
    "sheet_problems",
    "sheet_scores",
    "unassigned_branches",
]
