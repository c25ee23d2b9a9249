"""The severity report's data (检查组评分宽严度分析): its inputs, figures and JSON form.

fairness.statistics computes it; the method is described there.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cached_property

SEED = 20190331
PERMUTATIONS = 4000
MIN_PERMUTATIONS = 999
WORK_BUDGET = 400_000  # sheets × permutations per test
ALPHA = 0.05
MIN_SHEETS = 5  # per side of a between-group comparison
LARGE_SAMPLE = 30  # sheets on each side of a pair before its p comes from the closed form (fairness.statistics)
MIN_CALIBRATION_BRANCHES = 6  # fewer cannot reach p < 0.05 in the paired sign-flip test
OUTLIER_Z = 3.5
MIN_OUTLIER_N = 6  # scores of a category × indicator needed before one is called far off
MAD_FLOOR = 0.02  # of the maximum: equal scores do not make a 0.1 difference an "outlier"
OVERALL = "__overall__"

Group = Hashable


@dataclass(frozen=True)
class SheetInput:
    """One group's scores of one branch: indicator code → (score, maximum)."""

    sheet_id: int
    branch_id: int
    branch_name: str
    category: str
    group: str
    scores: Mapping[str, tuple[Decimal, Decimal]]


@dataclass
class GroupFigure:
    """A group's mean score ÷ maximum on one indicator (or overall) against the other groups'."""

    group: str
    indicator: str  # an indicator code, or OVERALL
    n: int
    mean: float
    others_n: int
    others_mean: float
    p: float | None = None  # permutation p, None when a side has too few sheets
    p_adjusted: float | None = None
    flagged: bool = False

    @property
    def difference(self) -> float:
        return self.mean - self.others_mean

    @property
    def enough(self) -> bool:
        return self.n >= MIN_SHEETS and self.others_n >= MIN_SHEETS


@dataclass
class CalibrationFigure:
    """A group's mean deviation on the calibration branches it scored, with the branch-level detail."""

    group: str
    n: int
    deviation: float
    by_branch: dict[str, float] = field(default_factory=dict)
    p: float | None = None
    p_adjusted: float | None = None
    flagged: bool = False


@dataclass
class Outlier:
    sheet_id: int
    branch_name: str
    category: str
    group: str
    indicator: str
    value: Decimal
    maximum: Decimal
    median_ratio: float
    z: float


@dataclass
class SeverityReport:
    groups: list[str]
    indicators: list[str]  # the indicators compared between groups, in the order given
    figures: list[GroupFigure]
    calibration: list[CalibrationFigure]
    calibration_branches: list[str]
    outliers: list[Outlier]
    seed: int = SEED
    permutations: int = PERMUTATIONS
    # group → the categories of the branches it scored outside calibration, e.g. {"第二检查组": ["2"]}:
    # a group alone on its category cannot have its strictness told apart from that category's level.
    group_categories: dict[str, list[str]] = field(default_factory=dict)

    def figure(self, group: str, indicator: str) -> GroupFigure | None:
        return next((f for f in self.figures if f.group == group and f.indicator == indicator), None)

    @cached_property
    def flagged(self) -> list[GroupFigure]:
        return [f for f in self.figures if f.flagged]

    def group_flags(self) -> list[tuple[str, GroupFigure | None, list[GroupFigure]]]:
        """(group, its overall figure if flagged, its flagged indicators) for each group with a flag."""
        out = []
        for group in self.groups:
            overall = next((f for f in self.flagged if f.group == group and f.indicator == OVERALL), None)
            single = [f for f in self.flagged if f.group == group and f.indicator != OVERALL]
            if overall or single:
                out.append((group, overall, single))
        return out

    @property
    def flagged_calibration(self) -> list[CalibrationFigure]:
        return [c for c in self.calibration if c.flagged]

    def as_dict(self) -> dict:
        """Plain JSON-ready data (Decimals as text), to keep with the published quarter."""
        data = asdict(self)
        for outlier in data["outliers"]:
            outlier["value"], outlier["maximum"] = str(outlier["value"]), str(outlier["maximum"])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> SeverityReport:
        return cls(
            groups=list(data["groups"]),
            indicators=list(data["indicators"]),
            figures=[GroupFigure(**f) for f in data["figures"]],
            calibration=[CalibrationFigure(**c) for c in data["calibration"]],
            calibration_branches=list(data["calibration_branches"]),
            outliers=[
                Outlier(**{**o, "value": Decimal(o["value"]), "maximum": Decimal(o["maximum"])})
                for o in data["outliers"]
            ],
            seed=data.get("seed", SEED),
            permutations=data.get("permutations", PERMUTATIONS),
            group_categories={g: list(c) for g, c in data.get("group_categories", {}).items()},
        )
