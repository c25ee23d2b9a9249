"""The roll-up (单位汇总): for one quarter code, every evaluating unit of a subtree with its
published board's numbers, read in a fixed number of queries whatever the number of units.

Quarters of different units share a code (2019Q2): the roll-up matches by code. A subtree is one
`path LIKE 'prefix%'` (the unit tree is a materialized path), and every number comes from a
GROUP BY over the subtree's published BoardEntry rows — nothing is read from a quarter that is not
published, so an unpublished unit shows only that it is unpublished (and how many branches it
evaluates, an organisational fact, not a result)."""

from rollup.selectors.common import (
    RollupNotFound,
    check_code,
    codes_in,
    latest_published_code,
    quarter_of_code,
    subtree_q,
    unit_by_name,
)
from rollup.selectors.rollup import CategoryStats, Distribution, Rollup, UnitRow, rollup_for
from rollup.selectors.summaries import summaries_for, summaries_make
from rollup.selectors.trend import TrendPoint, trend_for

__all__ = [
    "CategoryStats",
    "Distribution",
    "Rollup",
    "RollupNotFound",
    "TrendPoint",
    "UnitRow",
    "check_code",
    "codes_in",
    "latest_published_code",
    "quarter_of_code",
    "rollup_for",
    "subtree_q",
    "summaries_for",
    "summaries_make",
    "trend_for",
    "unit_by_name",
]
