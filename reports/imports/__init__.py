"""Imports from Excel, each read whole and checked before anything is written:

- `scores`: the offline score template filled in;
- `branches`: the branch list (党组织名单);
- `users`: the user list (用户名单);
- `units`: the unit tree (单位名单, issue 17);
- `sheets`: what they share — the problems they report, cell reading, and the one core that
  reads a list sheet (the branch and user lists).
"""

from __future__ import annotations

from reports.imports.branches import (
    BRANCH_HEADERS,
    BranchImportResult,
    BranchRow,
    branches_import,
    branches_read,
    parse_category,
)
from reports.imports.scores import ScoreImportResult, parse_score_cell, score_import_summary, scores_import, scores_read
from reports.imports.sheets import ImportIssue, ImportRejected
from reports.imports.users import UserImportResult, users_import, users_read

__all__ = [
    "BRANCH_HEADERS",
    "BranchImportResult",
    "BranchRow",
    "ImportIssue",
    "ImportRejected",
    "ScoreImportResult",
    "UserImportResult",
    "branches_import",
    "branches_read",
    "parse_category",
    "parse_score_cell",
    "score_import_summary",
    "scores_import",
    "scores_read",
    "users_import",
    "users_read",
]
