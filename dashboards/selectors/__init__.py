"""Reads for the points dashboards (党支部积分看板) and the leadership overview.

Everything is read from the published BoardEntry rows (never recomputed), so the dashboard shows
exactly what the boards showed. Each read costs a fixed number of queries, whatever the number of
branches or quarters; the numbers themselves come from the pure functions in dashboards.stats.
"""

from __future__ import annotations

from dashboards.selectors.home import home_cards
from dashboards.selectors.overview import CategoryDistribution, Overview, StreakRow, overview
from dashboards.selectors.table import (
    BRANCH_MATCHES,
    DASHBOARD_PAGE_SIZE,
    DASHBOARD_QUARTERS,
    BranchMatch,
    Cell,
    DashboardRow,
    branch_rows,
    branch_search,
    branch_table,
    category_means,
    latest_entries,
    published_quarters,
    star_levels_counted,
)
from dashboards.selectors.trend import BranchTrend, TrendPoint, branch_trend, indicator_meta

__all__ = [
    "BRANCH_MATCHES",
    "DASHBOARD_PAGE_SIZE",
    "DASHBOARD_QUARTERS",
    "BranchMatch",
    "BranchTrend",
    "CategoryDistribution",
    "Cell",
    "DashboardRow",
    "Overview",
    "StreakRow",
    "TrendPoint",
    "branch_rows",
    "branch_search",
    "branch_table",
    "branch_trend",
    "category_means",
    "home_cards",
    "indicator_meta",
    "latest_entries",
    "overview",
    "published_quarters",
    "star_levels_counted",
]
