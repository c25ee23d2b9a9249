"""Quarters, indicator schemes (考核指标体系) and the cross-inspection's scores.

Scores, points and maxima are Decimal end to end. A package by topic; every model is importable
from `scoring.models` directly.
"""

from __future__ import annotations

from scoring.models.contributions import CalibrationBranch, ContributionPoint
from scoring.models.quarters import (
    QUARTER_CODE_RE,
    DeductionItem,
    Indicator,
    IndicatorQuerySet,
    Quarter,
    QuarterQuerySet,
)
from scoring.models.sheets import InspectionGroup, Method, Problem, Score, ScoreChange, ScoreSheet

__all__ = [
    "QUARTER_CODE_RE",
    "CalibrationBranch",
    "ContributionPoint",
    "DeductionItem",
    "Indicator",
    "IndicatorQuerySet",
    "InspectionGroup",
    "Method",
    "Problem",
    "Quarter",
    "QuarterQuerySet",
    "Score",
    "ScoreChange",
    "ScoreSheet",
]
