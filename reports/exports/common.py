"""What every report shares: the refusal when a quarter cannot have it, and the names of boards
and category tabs."""

from __future__ import annotations

from boards.models import Board
from branches.models import CATEGORY_SYMBOLS, Category


class ReportUnavailable(Exception):
    """The report cannot be built for this quarter (yet); the message says why, in Chinese."""


def board_label(board: str) -> str:
    return str(Board(board).label) if board else ""


def sheet_name(category: str) -> str:
    """The tab of a category: Ⅰ类, Ⅱ类, Ⅲ类 (also the names the score import expects)."""
    return f"{CATEGORY_SYMBOLS[Category(category)]}类"
