"""What the home page's board cards say, as data: the latest published board and the user's own
result on it, and the quarter waiting to be published. boards.home turns it into cards."""

from __future__ import annotations

from dataclasses import dataclass, field

from boards.models import BoardEntry
from boards.ranking import BLUE, RED
from boards.selectors.history import board_names_by_quarter
from branches import roles
from branches.units import home_unit
from scoring.models import Quarter


@dataclass(frozen=True)
class HomeBoard:
    """The latest published board: its quarter, the names on either board, the user's own row."""

    quarter: Quarter
    red: list[str] = field(default_factory=list)
    blue: list[str] = field(default_factory=list)
    own: BoardEntry | None = None  # the user's branch's row when it was ranked


def home_board(user) -> HomeBoard | None:
    """The latest published board as the home page summarises it; None before any publication.
    Three queries (the quarter, its boards' names, the user's own row when the user has a branch)."""
    latest = Quarter.objects.filter(unit=home_unit(user)).latest_published()
    if latest is None:
        return None
    names = board_names_by_quarter([latest.pk])[latest.pk]
    own = user.branch_id and BoardEntry.objects.filter(quarter=latest, branch_id=user.branch_id).first()
    return HomeBoard(
        quarter=latest,
        red=[e.branch_name for e in names[RED]],
        blue=[e.branch_name for e in names[BLUE]],
        own=own if own and own.status == BoardEntry.Status.RANKED else None,
    )


def home_pending_quarter(user) -> Quarter | None:
    """The latest quarter being scored or closed, for those who read everything. One query."""
    if not roles.can_read_everything(user):
        return None
    return (
        Quarter.objects.run_by(user)
        .filter(status__in=[Quarter.Status.SCORING, Quarter.Status.CLOSED])
        .newest_first()
        .first()
    )
