"""The four reports, and the score template, as sheet specifications built from the database.

Each builder reads through the other apps' selectors in a fixed number of queries and returns a
`ReportSpec` whose rows are produced lazily — streamed from the database a chunk at a time, so a
report's memory does not grow with the number of branches (issue 20) — and the writer can report
progress as it goes.

- `scores`: 评分明细 (and its 扣分明细 sheet);
- `board`: 红蓝榜 and 绩效加扣分, read from the published rows;
- `rectification`: 整改进度;
- `template`: the offline score template and the branch list (files to fill in and import).
"""

from __future__ import annotations

from baiyin_eval.xlsx import ReportSpec
from reports.exports.board import adjustments_report, board_report
from reports.exports.common import ReportUnavailable, sheet_name
from reports.exports.rectification import rectification_report
from reports.exports.scores import scores_report
from reports.exports.template import (
    TEMPLATE_MAX_LABEL,
    TEMPLATE_NAME_HEADER,
    branch_list_workbook,
    score_template,
    template_branches,
    template_file_name,
    template_schemes,
    unit_list_workbook,
)
from reports.models import ReportKind
from scoring.models import Quarter

BUILDERS = {
    ReportKind.SCORES: scores_report,
    ReportKind.BOARD: board_report,
    ReportKind.ADJUSTMENTS: adjustments_report,
    ReportKind.RECTIFICATION: rectification_report,
}


def build_report(kind: str, quarter: Quarter) -> ReportSpec:
    return BUILDERS[ReportKind(kind)](quarter)


__all__ = [
    "BUILDERS",
    "TEMPLATE_MAX_LABEL",
    "TEMPLATE_NAME_HEADER",
    "ReportUnavailable",
    "adjustments_report",
    "board_report",
    "branch_list_workbook",
    "build_report",
    "rectification_report",
    "score_template",
    "scores_report",
    "sheet_name",
    "template_branches",
    "template_file_name",
    "template_schemes",
    "unit_list_workbook",
]
