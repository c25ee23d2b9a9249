"""The guidance-to-climb section of a branch's page (included where the page shows its result)."""

from __future__ import annotations

from django import template

from boards.guidance import IndicatorGap, climb_guidance, problems_by_indicator
from boards.selectors.branch import climb_peers

register = template.Library()


@register.inclusion_tag("boards/_guidance.html")
def climb_guidance_for(view, problems, show_problems: bool):
    """Published quarters only. One query (the few rows of the category's published ranking the
    guidance reads); the indicator lines, the ranked count and the problems are the page's own."""
    result = getattr(view, "result", None)
    if view is None or not view.quarter.is_published or result is None or result.rank is None:
        return {"guidance": None}
    ranking = climb_peers(view.quarter, result.category, result.branch_id)
    # The page lists the problems right below; the guidance points at them by their number there
    # (1-based, the same list and order), rather than repeating each description.
    found = (
        problems_by_indicator([(p.shown_indicator.code, str(n)) for n, p in enumerate(problems, 1)])
        if show_problems
        else {}
    )
    deducted = (
        problems_by_indicator([(p.shown_indicator.code, p.deduction_summary) for p in problems if p.deduction_id])
        if show_problems
        else {}
    )
    lines = [
        IndicatorGap(
            code=line.indicator.code,
            name=line.indicator.name,
            maximum=line.indicator.max_score,
            score=line.score,
            mean=line.mean,
            problems=found.get(line.indicator.code, ()),
            deductions=deducted.get(line.indicator.code, ()),
        )
        for line in view.lines
        if line.score is not None and line.mean is not None
    ]
    guidance = climb_guidance(own_id=result.branch_id, ranking=ranking, lines=lines, ranked=view.ranked_in_category)
    return {"guidance": guidance, "show_problems": show_problems, "quarter": view.quarter}
