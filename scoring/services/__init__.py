"""Writes for the scoring app. Views, commands, tasks and other apps call these, never the ORM.

A package by topic; everything public is importable from `scoring.services` directly.
"""

from __future__ import annotations

from scoring.numbers import TENTH
from scoring.scores import canonical_score, score_error
from scoring.services.calibration import calibration_mark, calibration_unmark
from scoring.services.contributions import POINTS_MAX, contribution_add, contribution_remove
from scoring.services.groups import (
    AssignmentImpossible,
    AutoAssignment,
    assignment_auto,
    assignment_move,
    assignment_remove,
    cross_rule_conflicts,
    group_delete,
    group_save,
    member_branch_ids,
)
from scoring.services.merge import sheet_input_merge
from scoring.services.quarters import (
    SchemeFrozen,
    deduction_delete,
    deduction_move,
    deduction_save,
    indicator_delete,
    indicator_move,
    indicator_save,
    next_quarter_code,
    quarter_create,
    quarter_transition,
)
from scoring.services.sheet_core import (
    ALREADY_SUBMITTED,
    READ_ONLY,
    AlreadySubmitted,
    IncompleteSheet,
    OverrideNeedsNote,
    OwnSavesSince,
    ProblemEntry,
    ScoreEntry,
    SheetLocked,
    StaleSheet,
    canonical_methods,
    changes_since,
)
from scoring.services.sheets import (
    sheet_proposals,
    sheet_return,
    sheet_save,
    sheets_save_scores,
    sheets_submit,
)

__all__ = [
    "ALREADY_SUBMITTED",
    "POINTS_MAX",
    "READ_ONLY",
    "TENTH",
    "AlreadySubmitted",
    "AssignmentImpossible",
    "AutoAssignment",
    "IncompleteSheet",
    "OverrideNeedsNote",
    "OwnSavesSince",
    "ProblemEntry",
    "SchemeFrozen",
    "ScoreEntry",
    "SheetLocked",
    "StaleSheet",
    "assignment_auto",
    "assignment_move",
    "assignment_remove",
    "calibration_mark",
    "calibration_unmark",
    "canonical_methods",
    "canonical_score",
    "changes_since",
    "contribution_add",
    "contribution_remove",
    "cross_rule_conflicts",
    "deduction_delete",
    "deduction_move",
    "deduction_save",
    "group_delete",
    "group_save",
    "indicator_delete",
    "indicator_move",
    "indicator_save",
    "member_branch_ids",
    "next_quarter_code",
    "quarter_create",
    "quarter_transition",
    "score_error",
    "sheet_input_merge",
    "sheet_proposals",
    "sheet_return",
    "sheet_save",
    "sheets_save_scores",
    "sheets_submit",
]
