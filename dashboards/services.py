"""What the dashboards write: the overview's counts, stored with each publication."""

from __future__ import annotations

from dashboards.models import OverviewFigures
from dashboards.selectors.overview import figures_encode, overview_figures
from scoring.models import Quarter


def overview_figures_store(quarter: Quarter) -> None:
    """A part of publication (boards.publication_parts): count the overview's distribution and
    per-indicator sums over the board just stored, in publication's transaction. Three queries
    (the published indicators, the distribution, the sums) and the write."""
    distributions, sums = overview_figures(quarter)
    encoded = figures_encode(distributions, sums)
    OverviewFigures.objects.update_or_create(
        quarter=quarter, defaults={"distributions": encoded["distributions"], "indicator_sums": encoded["sums"]}
    )
