"""Reads for the board, one module per concern:

- `board`: the live board of a quarter (board_rows or board_inputs → boards.ranking);
- `published`: published boards read back from their frozen rows, and a board's columns;
- `page`: the board page (boards and one page of each category's ranking);
- `uncounted`: the sheets a board does not count;
- `history`: quarters, the history table, branches as published;
- `branch`: a branch's own page;
- `home`: what the home page's board cards say.

The names below are the package's public reads; import them from here.
"""

from boards.selectors.board import (
    DEFAULT_ADJUSTMENTS,
    adjustment_rules,
    adjustment_table,
    board_compute,
    board_compute_detailed,
    board_inputs,
    counted_scores,
    group_scores,
    sums_in_database,
)
from boards.selectors.page import RANKING_PAGE_SIZE, CategorySection, board_page
from boards.selectors.published import (
    announcement_company,
    board_as_dict,
    board_categories,
    board_columns,
    board_summary,
    published_board,
    published_columns,
    published_scores,
    published_summary,
    scheme_columns,
)
from boards.selectors.uncounted import (
    DRAFT,
    MISSING,
    RETURNED,
    UncountedSheet,
    branch_has_uncounted_sheet,
    uncounted_sheets,
)

__all__ = [
    "DEFAULT_ADJUSTMENTS",
    "DRAFT",
    "MISSING",
    "RANKING_PAGE_SIZE",
    "RETURNED",
    "CategorySection",
    "UncountedSheet",
    "adjustment_rules",
    "adjustment_table",
    "announcement_company",
    "board_as_dict",
    "board_categories",
    "board_columns",
    "board_compute",
    "board_compute_detailed",
    "board_inputs",
    "board_page",
    "board_summary",
    "branch_has_uncounted_sheet",
    "counted_scores",
    "group_scores",
    "published_board",
    "published_columns",
    "published_scores",
    "published_summary",
    "scheme_columns",
    "sums_in_database",
    "uncounted_sheets",
]
