"""Fairness across inspection groups (检查组评分宽严度): statistics over plain data, no ORM.

Each group scores different branches, so a stricter group pushes its branches down. Three measures,
none of which changes any score (the committee decides):

1. Between groups. For every indicator at least two groups scored on MIN_SHEETS sheets or more,
   each group's mean of score ÷ maximum against the mean of the other groups' scores of that
   indicator, and the same over all such indicators together ("overall": one figure per sheet, the
   mean of its ratios). The unit is the score sheet (one group's scores of one branch): a
   permutation test shuffles the group labels over the sheets and counts how often a difference at
   least as large arises by chance. A group is compared with each other group in turn and its p is
   the largest of these, taken only where it lies on the same side of every other group (so that,
   when one group is strict, the others do not look lenient merely against it). The comparison is
   protected: a group is flagged only when, first, a test of "the groups differ at all"
   (between-group sum of squares, labels shuffled) gives p < 0.05 and, second, its own p < 0.05
   (Fisher's protected LSD, which keeps the chance of any false flag at 5% for three groups; with
   more groups their p are Holm-adjusted). p_adjusted is the larger of the two. Only groups with at
   least MIN_SHEETS sheets are tested. Groups usually inspect different categories, so this measure
   mixes a group's severity with the strength of the branches it happened to inspect: it is a
   prompt to look, not proof.
2. Calibration branches (校准党组织), scored by every group. On each such branch, a group's deviation
   is the mean over indicators of (its score ÷ maximum − the mean of all groups' on that branch and
   indicator). The same branches, the same day's facts: the spread measures severity directly. As
   between groups, the comparison is protected: a global test (group labels shuffled within each
   branch) and, for the lowest or highest group only, a paired sign-flip test against each other
   group over the branches both scored; p_adjusted is the larger. A group needs at least
   MIN_CALIBRATION_BRANCHES calibration branches to be tested.
3. Single scores far from their category's distribution for that indicator (robust z-score on
   score ÷ maximum: 0.6745 × (x − median) ÷ MAD, |z| > OUTLIER_Z, Iglewicz & Hoaglin), listed for a
   second look.

The budget (issue 20): every test runs as numpy array operations over all indicator/group pairs at
once, on a seeded generator, so the report is the same every time it is computed.
- The global tests shuffle the labels `permutations_for(sheets)` times (4,000 for a company's few
  dozen sheets, never under 999, which resolves p to 0.001), one set of shuffles shared by every
  indicator scored on the same sheets.
- A pairwise comparison whose smaller side has fewer than LARGE_SAMPLE sheets is a Monte Carlo
  permutation test with the same number of shuffles. Where both sides have LARGE_SAMPLE sheets or
  more, p comes from the permutation distribution's exact mean and variance (a difference of means
  under random relabelling has mean 0 and variance N²σ² ÷ (n₁n₂(N − 1)), σ² the pooled values'
  variance; it is normal to within far less than the Monte Carlo error at these sizes, Hájek's
  permutation central limit theorem). This costs nothing per pair and resolves the very small p
  that Holm's adjustment over a hundred groups asks for (0.05 ÷ 100), which 999 shuffles cannot.
So the work grows with the sheets (a few passes) and the shuffles of the global tests, not with
the number of pairs.

Statistics run on floats (ratios between 0 and 1); the scores themselves stay Decimal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from fairness.permutation import calibration_global_p, global_pvalues, index_of, pair_pvalues, paired_pvalues
from fairness.report import (
    ALPHA,
    MAD_FLOOR,
    MIN_CALIBRATION_BRANCHES,
    MIN_OUTLIER_N,
    MIN_PERMUTATIONS,
    MIN_SHEETS,
    OUTLIER_Z,
    OVERALL,
    PERMUTATIONS,
    SEED,
    WORK_BUDGET,
    CalibrationFigure,
    GroupFigure,
    Outlier,
    SeverityReport,
    SheetInput,
)


def permutations_for(sheets: int) -> int:
    """PERMUTATIONS for a company's few dozen sheets; fewer (never under MIN_PERMUTATIONS, which still
    resolves p to 0.001) as the sheets grow."""
    return max(MIN_PERMUTATIONS, min(PERMUTATIONS, WORK_BUDGET // max(sheets, 1)))


def ratio(value: Decimal, maximum: Decimal) -> float:
    return float(value / maximum) if maximum else 0.0


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm–Bonferroni adjusted p-values (None stays None)."""
    indexed = sorted((p, i) for i, p in enumerate(pvalues) if p is not None)
    m = len(indexed)
    adjusted: list[float | None] = [None] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


# --- the data, as arrays ---------------------------------------------------------------------------


@dataclass
class SeverityData:
    """The sheets as arrays: row i is one sheet, column j one indicator code (NaN: not scored)."""

    sheet_ids: np.ndarray
    branch_ids: np.ndarray
    branch_names: list[str]
    categories: list[str]
    groups: list[str]
    codes: list[str]
    ratios: np.ndarray  # (sheets, codes) score ÷ maximum
    exact: Callable[[int, int], tuple[Decimal, Decimal]]  # row, column → (score, maximum) as entered

    @classmethod
    def from_sheets(cls, sheets: Sequence[SheetInput], indicators: Sequence[str]) -> SeverityData:
        codes = list(dict.fromkeys([*indicators, *(c for s in sheets for c in s.scores)]))
        column = {c: j for j, c in enumerate(codes)}
        ratios = np.full((len(sheets), len(codes)), np.nan)
        for i, s in enumerate(sheets):
            for code, (value, maximum) in s.scores.items():
                ratios[i, column[code]] = ratio(value, maximum)
        return cls(
            sheet_ids=np.array([s.sheet_id for s in sheets], dtype=np.int64),
            branch_ids=np.array([s.branch_id for s in sheets], dtype=np.int64),
            branch_names=[s.branch_name for s in sheets],
            categories=[s.category for s in sheets],
            groups=[s.group for s in sheets],
            codes=codes,
            ratios=ratios,
            exact=lambda i, j: sheets[i].scores[codes[j]],
        )

    def __len__(self) -> int:
        return len(self.groups)


# --- 1. between groups -----------------------------------------------------------------------------


def between_groups(
    data: SeverityData, indicators: Sequence[str], *, rng: np.random.Generator, permutations: int
) -> tuple[list[str], list[GroupFigure]]:
    """Figures per group × compared indicator, and overall. Returns (compared indicators, figures)."""
    groups, label = index_of(data.groups)
    scored = ~np.isnan(data.ratios)
    column = {c: j for j, c in enumerate(data.codes)}
    compared = []
    for code in indicators:
        counts = np.bincount(label[scored[:, column[code]]], minlength=len(groups))
        if (counts >= MIN_SHEETS).sum() >= 2:
            compared.append(code)
    series: list[tuple[str, np.ndarray, np.ndarray]] = []  # (code, rows, values)
    for code in compared:
        rows = np.flatnonzero(scored[:, column[code]])
        series.append((code, rows, data.ratios[rows, column[code]]))
    if compared:
        columns = [column[c] for c in compared]
        rows = np.flatnonzero(scored[:, columns].any(axis=1))
        series.append((OVERALL, rows, np.nanmean(data.ratios[np.ix_(rows, columns)], axis=1)))

    figures: list[GroupFigure] = []
    pair_requests: list[tuple[np.ndarray, np.ndarray]] = []
    waiting: list[tuple[GroupFigure, list[int]]] = []  # a figure and the pair requests it takes the max of
    columns_of: list[tuple[str, list[GroupFigure]]] = []
    for code, rows, values in series:
        series_groups, local = index_of([data.groups[i] for i in rows])
        sizes = np.bincount(local, minlength=len(series_groups))
        sums = np.bincount(local, weights=values, minlength=len(series_groups))
        total, n = values.sum(), len(values)
        own = [
            GroupFigure(
                group=g,
                indicator=code,
                n=int(sizes[k]),
                mean=float(sums[k] / sizes[k]),
                others_n=int(n - sizes[k]),
                others_mean=float((total - sums[k]) / (n - sizes[k])) if n > sizes[k] else 0.0,
            )
            for k, g in enumerate(series_groups)
        ]
        figures.extend(own)
        by_group = np.split(values[np.argsort(local, kind="stable")], np.cumsum(sizes)[:-1])
        testable = [k for k in range(len(series_groups)) if sizes[k] >= MIN_SHEETS]
        means = {k: own[k].mean for k in testable}
        if testable:
            low, high = min(means.values()), max(means.values())
        for k in testable:
            others = [h for h in testable if h != k]
            if not others:
                continue
            # Flag a group only where it differs from every other group, all in the same direction
            # (an intersection–union test): when one group is strict, the others must not look
            # lenient merely against it. Only the lowest or highest group can.
            same_direction = means[k] in (low, high) and len({means[k] > means[h] for h in others}) == 1
            if not same_direction:
                own[k].p = 1.0
                continue
            requests = []
            for h in others:
                requests.append(len(pair_requests))
                pair_requests.append((by_group[k], by_group[h]))
            waiting.append((own[k], requests))
        columns_of.append((code, [own[k] for k in testable if len(testable) > 1]))

    pair_p = pair_pvalues(pair_requests, rng=rng, permutations=permutations)
    for figure, requests in waiting:
        figure.p = max(pair_p[r] for r in requests)

    # Protected comparisons: first whether the groups differ at all (one test per indicator); only
    # then which group differs from every other. With three groups or fewer this keeps the chance of
    # any false flag at 5% (Fisher's protected LSD); with more, the groups' p are Holm-adjusted too.
    needed = [k for k, (_, column_figures) in enumerate(columns_of) if column_figures]
    global_p = _series_global_p([series[k] for k in needed], label, rng=rng, permutations=permutations)
    for k, p_global in zip(needed, global_p, strict=True):
        column_figures = columns_of[k][1]
        raw = [f.p for f in column_figures]
        adjusted = holm(raw) if len(column_figures) > 3 else raw
        for f, p in zip(column_figures, adjusted, strict=True):
            f.p_adjusted = max(p, p_global)
            f.flagged = f.p_adjusted < ALPHA
    return compared, figures


def _series_global_p(
    series: list[tuple[str, np.ndarray, np.ndarray]], label: np.ndarray, *, rng: np.random.Generator, permutations: int
) -> list[float]:
    """The global test of each series; series scored on the same sheets share one set of shuffles."""
    out = [1.0] * len(series)
    by_rows: dict[bytes, list[int]] = {}
    for k, (_, rows, _) in enumerate(series):
        by_rows.setdefault(rows.tobytes(), []).append(k)
    for members in by_rows.values():
        rows = series[members[0]][1]
        values = np.column_stack([series[k][2] for k in members])
        for k, p in zip(members, global_pvalues(values, label[rows], rng=rng, permutations=permutations), strict=True):
            out[k] = float(p)
    return out


# --- 2. calibration branches -----------------------------------------------------------------------


def calibration(
    data: SeverityData, calibration_branch_ids: set[int], *, rng: np.random.Generator, permutations: int
) -> tuple[list[str], list[CalibrationFigure]]:
    """Each group's deviation from the groups' mean on the calibration branches it scored."""
    on_calibration = np.flatnonzero(np.isin(data.branch_ids, np.fromiter(calibration_branch_ids, dtype=np.int64)))
    by_branch: dict[int, list[int]] = {}
    for i in on_calibration:
        by_branch.setdefault(int(data.branch_ids[i]), []).append(int(i))
    blocks: list[tuple[str, list[str], np.ndarray]] = []  # (branch name, groups, deviations)
    for rows in by_branch.values():
        if len({data.groups[i] for i in rows}) < 2:
            continue
        ratios = data.ratios[rows]
        common = ~np.isnan(ratios).any(axis=0)
        if not common.any():
            continue
        ratios = ratios[:, common]
        deviations = (ratios - ratios.mean(axis=0)).mean(axis=1)
        blocks.append((data.branch_names[rows[0]], [data.groups[i] for i in rows], deviations))
    blocks.sort(key=lambda b: b[0])
    order = list(dict.fromkeys(data.groups))
    present = {g for _, labels, _ in blocks for g in labels}
    groups = [g for g in order if g in present]
    figures = []
    for g in groups:
        detail = {
            name: float(d) for name, labels, devs in blocks for label, d in zip(labels, devs, strict=True) if label == g
        }
        figures.append(
            CalibrationFigure(
                group=g,
                n=len(detail),
                deviation=sum(detail.values()) / len(detail) if detail else 0.0,
                by_branch=detail,
            )
        )

    testable = [f.group for f in figures if f.n >= MIN_CALIBRATION_BRANCHES]
    if len(testable) >= 2:
        means = {f.group: f.deviation for f in figures}
        low = min(means[g] for g in testable)
        high = max(means[g] for g in testable)
        global_p = calibration_global_p(blocks, rng=rng, permutations=permutations)
        requests: list[tuple[str, str]] = []
        waiting: list[tuple[CalibrationFigure, list[int]]] = []
        for f in figures:
            if f.group not in testable:
                continue
            others = [h for h in testable if h != f.group]
            f.p = 1.0  # only a group on one side of every other (the lowest or highest) may differ
            if means[f.group] not in (low, high) or len({means[f.group] > means[h] for h in others}) != 1:
                continue
            waiting.append((f, list(range(len(requests), len(requests) + len(others)))))
            requests.extend((f.group, h) for h in others)
        paired = paired_pvalues(blocks, requests, rng=rng, permutations=permutations)
        for f, indices in waiting:
            f.p = max(1.0 if paired[k] is None else paired[k] for k in indices)
        adjusted = holm([f.p for f in figures]) if len(testable) > 3 else [f.p for f in figures]
        for f, p in zip(figures, adjusted, strict=True):
            if p is not None:
                f.p_adjusted = max(p, global_p)
                f.flagged = f.p_adjusted < ALPHA
    return [name for name, _, _ in blocks], figures


# --- 3. single scores ------------------------------------------------------------------------------


def outliers(sheets: Sequence[SheetInput] | SeverityData) -> list[Outlier]:
    """Single scores far from the category's distribution for that indicator."""
    data = sheets if isinstance(sheets, SeverityData) else SeverityData.from_sheets(sheets, [])
    categories, category_of = index_of(data.categories)
    found = []
    for c, category in enumerate(categories):
        in_category = category_of == c
        for j, code in enumerate(data.codes):
            rows = np.flatnonzero(in_category & ~np.isnan(data.ratios[:, j]))
            if len(rows) < MIN_OUTLIER_N:
                continue
            ratios = data.ratios[rows, j]
            middle = float(np.median(ratios))
            mad = max(float(np.median(np.abs(ratios - middle))), MAD_FLOOR)
            z = 0.6745 * (ratios - middle) / mad
            for k in np.flatnonzero(np.abs(z) > OUTLIER_Z):
                i = int(rows[k])
                value, maximum = data.exact(i, j)
                found.append(
                    Outlier(
                        sheet_id=int(data.sheet_ids[i]),
                        branch_name=data.branch_names[i],
                        category=category,
                        group=data.groups[i],
                        indicator=code,
                        value=value,
                        maximum=maximum,
                        median_ratio=middle,
                        z=float(z[k]),
                    )
                )
    found.sort(key=lambda o: (o.category, o.indicator, o.z))
    return found


# --- the whole report ------------------------------------------------------------------------------


def severity_report(
    sheets: Sequence[SheetInput] | SeverityData,
    indicators: Sequence[str],
    calibration_branch_ids: set[int] = frozenset(),
    *,
    seed: int = SEED,
    permutations: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeverityReport:
    """The whole report. `indicators` gives the indicator codes in display order; `progress`, if
    given, hears the name of each stage as it starts (fairness.models.SeverityRun.Stage)."""
    data = sheets if isinstance(sheets, SeverityData) else SeverityData.from_sheets(sheets, indicators)
    if permutations is None:
        permutations = permutations_for(len(data))
    tell = progress or (lambda stage: None)
    rng = np.random.default_rng(seed)
    tell("between")
    compared, figures = between_groups(data, indicators, rng=rng, permutations=permutations)
    tell("calibration")
    calibrated, calibration_figures = calibration(data, set(calibration_branch_ids), rng=rng, permutations=permutations)
    tell("outliers")
    return SeverityReport(
        groups=list(dict.fromkeys(data.groups)),
        indicators=compared,
        figures=figures,
        calibration=calibration_figures,
        calibration_branches=calibrated,
        outliers=outliers(data),
        seed=seed,
        permutations=permutations,
        group_categories=group_categories(data, set(calibration_branch_ids)),
    )


def group_categories(
    sheets: Sequence[SheetInput] | SeverityData, calibration_branch_ids: set[int]
) -> dict[str, list[str]]:
    """The categories each group scored, calibration branches left out (every group scores those)."""
    if isinstance(sheets, SeverityData):
        rows = zip(sheets.groups, sheets.categories, sheets.branch_ids.tolist(), strict=True)
    else:
        rows = ((s.group, s.category, s.branch_id) for s in sheets)
    out: dict[str, set[str]] = {}
    for group, category, branch_id in rows:
        categories = out.setdefault(group, set())
        if branch_id not in calibration_branch_ids:
            categories.add(category)
    return {group: sorted(categories) for group, categories in out.items()}
