"""Reads for score sheets: scores, problems, the deduction table the sheet's script recomputes, history."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max

from scoring.models import (
    Indicator,
    Problem,
    Quarter,
    Score,
    ScoreChange,
    ScoreSheet,
)
from scoring.selectors.scheme import scheme_with_deductions


def sheet_scores(sheet: ScoreSheet) -> tuple[list[Indicator], dict[int, Score]]:
    """The indicators the sheet's branch is scored on (five standardizations first, each with
    `.deduction_list`) and the sheet's scores by indicator id. Three queries, whatever the number
    of indicators."""
    indicators = scheme_with_deductions(sheet.quarter, sheet.branch.category)
    return indicators, {s.indicator_id: s for s in Score.objects.filter(sheet=sheet)}


def sheet_deduction_table(indicators: list[Indicator], problems: list[Problem]) -> dict:
    """What the score sheet shows and its script recomputes: each indicator's proposed score
    from the problems recorded against its deduction items (set as `.deducted` and `.proposed` on
    the indicators, None without such problems), and the rules in tenths of a point for the script."""
    from scoring.deductions import Rule, proposed_score, total_deduction

    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for problem in problems:
        if problem.deduction_id:
            found[problem.indicator_id].append((problem.deduction_id, problem.count))
    rules: dict[str, dict] = {}
    maxima: dict[str, int] = {}
    for indicator in indicators:
        items = getattr(indicator, "deduction_list", [])
        plain = {d.pk: Rule(points=d.points, per_occurrence=d.per_occurrence, cap=d.cap) for d in items}
        deducted = proposed = None
        if indicator.pk in found:
            deducted = total_deduction(plain, found[indicator.pk])
            proposed = proposed_score(indicator.max_score, deducted)
        indicator.deducted, indicator.proposed = deducted, proposed  # type: ignore[attr-defined]  # for the page
        if items:
            maxima[str(indicator.pk)] = int(indicator.max_score * 10)
        for d in items:
            rules[str(d.pk)] = {
                "indicator": str(indicator.pk),
                "points": int(d.points * 10),
                "per": d.per_occurrence,
                "cap": None if d.cap is None else int(d.cap * 10),
            }
    return {"rules": rules, "maxima": maxima}


def sheet_problems(sheet: ScoreSheet) -> list[Problem]:
    return list(
        Problem.objects.filter(sheet=sheet)
        .select_related("indicator", "created_by", "deduction")
        .order_by("indicator__category", "indicator__position", "id")
    )


def sheet_history(sheet: ScoreSheet) -> list[ScoreChange]:
    return list(ScoreChange.objects.filter(sheet=sheet).select_related("indicator", "user").order_by("-at", "-id"))


def inspector_returned_sheets(user) -> list[ScoreSheet]:
    """The sheets 党建部 returned to a group the person sits in, not yet submitted again, in
    quarters still open: what the inspector has to redo, with the reason. One query."""
    return list(
        ScoreSheet.objects.filter(group__members=user, status=ScoreSheet.Status.DRAFT)
        .exclude(return_reason="")
        .exclude(quarter__status=Quarter.Status.PUBLISHED)
        .select_related("branch", "group", "quarter")
        .order_by("-quarter__year", "-quarter__number", "group__pk", "branch__category", "branch__name")
    )


def sheet_last_version_by_others(sheet: ScoreSheet, user) -> int:
    """The latest version of the sheet with a change by anyone but `user` (0 if none). One query."""
    latest = ScoreChange.objects.filter(sheet=sheet).exclude(user=user).aggregate(v=Max("version"))["v"]
    return latest or 0
