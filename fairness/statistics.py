"""Fairness across inspection groups (检查组评分宽严度): pure statistics over plain data, no ORM.

Each group scores different branches, so a stricter group pushes its branches down. Three measures,
none of which changes any score (the committee decides):

1. Between groups. For every indicator at least two groups scored on MIN_SHEETS sheets or more,
   each group's mean of
   score ÷ maximum against the mean of the other groups' scores of that indicator, and the same over
   all such indicators together ("overall": one figure per sheet, the mean of its ratios). The unit
   is the score sheet (one group's scores of one branch): a permutation test shuffles the group
   labels over the sheets and counts how often a difference at least as large arises by chance. A
   group is compared with each other group in turn and its p is the largest of these, taken only
   where it lies on the same side of every other group (so that, when one group is strict, the
   others do not look lenient merely against it). The comparison is protected: a group is flagged
   only when, first, a test of "the groups differ at all" (between-group sum of squares, labels
   shuffled) gives p < 0.05 and, second, its own p < 0.05 (Fisher's protected LSD, which keeps the
   chance of any false flag at 5% for three groups; with more groups their p are Holm-adjusted).
   p_adjusted is the larger of the two. Only groups with at least MIN_SHEETS sheets are tested.
   Groups usually inspect different categories, so this measure mixes a group's severity with the strength of the
   branches it happened to inspect: it is a prompt to look, not proof.
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

Statistics run on floats (ratios between 0 and 1); the scores themselves stay Decimal. A fixed seed
makes the report the same every time it is computed.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from itertools import combinations
from statistics import median

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
    resolves p to 0.001) as the sheets grow, so the pure-Python report stays within seconds."""
    return max(MIN_PERMUTATIONS, min(PERMUTATIONS, WORK_BUDGET // max(sheets, 1)))


def ratio(value: Decimal, maximum: Decimal) -> float:
    return float(value / maximum) if maximum else 0.0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


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


def permutation_pvalues(
    values: Sequence[float], labels: Sequence[str], groups: Sequence[str], *, rng: random.Random, permutations: int
) -> dict[str, float]:
    """Two-sided p of each group's mean − the rest's mean, shuffling the labels over the values."""
    n = len(values)
    total = sum(values)
    sizes = Counter(labels)

    def differences(sums: Mapping[str, float]) -> dict[str, float]:
        return {g: sums[g] / sizes[g] - (total - sums[g]) / (n - sizes[g]) for g in groups}

    observed_sums: dict[str, float] = defaultdict(float)
    for label, value in zip(labels, values, strict=True):
        observed_sums[label] += value
    observed = differences(observed_sums)
    exceed = dict.fromkeys(groups, 0)
    shuffled = list(labels)
    for _ in range(permutations):
        rng.shuffle(shuffled)
        sums: dict[str, float] = defaultdict(float)
        for label, value in zip(shuffled, values, strict=True):
            sums[label] += value
        for g, d in differences(sums).items():
            if abs(d) >= abs(observed[g]) - 1e-12:
                exceed[g] += 1
    return {g: (exceed[g] + 1) / (permutations + 1) for g in groups}


def global_pvalue(values: Sequence[float], labels: Sequence[str], *, rng: random.Random, permutations: int) -> float:
    """Permutation p of "the groups differ at all": the between-group sum of squares, labels shuffled."""
    grand = _mean(values)
    sizes = Counter(labels)

    def between(current: Sequence[str]) -> float:
        sums: dict[str, float] = defaultdict(float)
        for label, value in zip(current, values, strict=True):
            sums[label] += value
        return sum(sizes[g] * (sums[g] / sizes[g] - grand) ** 2 for g in sizes)

    observed = between(labels)
    shuffled = list(labels)
    exceed = 0
    for _ in range(permutations):
        rng.shuffle(shuffled)
        if between(shuffled) >= observed - 1e-12:
            exceed += 1
    return (exceed + 1) / (permutations + 1)


def between_groups(
    sheets: Sequence[SheetInput], indicators: Sequence[str], *, rng: random.Random, permutations: int
) -> tuple[list[str], list[GroupFigure]]:
    """Figures per group × compared indicator, and overall. Returns (compared indicators, figures)."""
    # An indicator is compared where at least two groups have enough sheets on it (a category's own
    # criteria, scored by one group plus a few calibration sheets, are not).
    compared = [
        code
        for code in indicators
        if sum(n >= MIN_SHEETS for n in Counter(s.group for s in sheets if code in s.scores).values()) >= 2
    ]
    figures: list[GroupFigure] = []
    series: list[tuple[str, list[float], list[str]]] = []
    for code in compared:
        rows = [(s.group, ratio(*s.scores[code])) for s in sheets if code in s.scores]
        series.append((code, [r for _, r in rows], [g for g, _ in rows]))
    overall = [
        (s.group, _mean([ratio(*s.scores[c]) for c in compared if c in s.scores]))
        for s in sheets
        if any(c in s.scores for c in compared)
    ]
    if compared:
        series.append((OVERALL, [r for _, r in overall], [g for g, _ in overall]))
    for code, values, labels in series:
        groups = list(dict.fromkeys(labels))  # the order the sheets come in
        sizes = Counter(labels)
        for g in groups:
            own = [v for v, label in zip(values, labels, strict=True) if label == g]
            rest = [v for v, label in zip(values, labels, strict=True) if label != g]
            figures.append(
                GroupFigure(
                    group=g, indicator=code, n=len(own), mean=_mean(own), others_n=len(rest), others_mean=_mean(rest)
                )
            )
        testable = [g for g in groups if sizes[g] >= MIN_SHEETS]
        means = {f.group: f.mean for f in figures if f.indicator == code}
        # Only the lowest and the highest group can lie on one side of every other group: only
        # their pairs need testing.
        extremes = {
            g for g in testable if means[g] in (min(means[h] for h in testable), max(means[h] for h in testable))
        }
        pair_p: dict[frozenset, float] = {}
        for g, h in combinations(testable, 2):
            if g not in extremes and h not in extremes:
                continue
            pair = [(v, label) for v, label in zip(values, labels, strict=True) if label in (g, h)]
            pair_p[frozenset((g, h))] = permutation_pvalues(
                [v for v, _ in pair], [label for _, label in pair], [g], rng=rng, permutations=permutations
            )[g]
        for f in figures:
            others = [h for h in testable if h != f.group]
            if f.indicator != code or f.group not in testable or not others:
                continue
            # Flag a group only where it differs from every other group, all in the same direction
            # (an intersection–union test): when one group is strict, the others must not look lenient
            # merely against it.
            same_direction = f.group in extremes and len({(means[f.group] > means[h]) for h in others}) == 1
            f.p = max(pair_p[frozenset((f.group, h))] for h in others) if same_direction else 1.0
    for code, values, labels in series:
        column = [f for f in figures if f.indicator == code and f.p is not None]
        if not column:
            continue
        # Protected comparisons: first whether the groups differ at all (one test); only then which
        # group differs from every other. With three groups or fewer this keeps the chance of any
        # false flag at 5% (Fisher's protected LSD); with more, the groups' p are Holm-adjusted too.
        overall_p = global_pvalue(values, labels, rng=rng, permutations=permutations)
        adjusted = holm([f.p for f in column]) if len(column) > 3 else [f.p for f in column]
        for f, p in zip(column, adjusted, strict=True):
            f.p_adjusted = max(p, overall_p)
            f.flagged = f.p_adjusted < ALPHA
    return compared, figures


def _calibration_global_p(
    blocks: list[tuple[str, list[str], list[float]]], *, rng: random.Random, permutations: int
) -> float:
    """Do the groups' deviations differ at all? Between-group sum of squares, labels shuffled
    within each branch."""

    def between(assignments: list[list[str]]) -> float:
        sums: dict[str, float] = defaultdict(float)
        counts: dict[str, int] = defaultdict(int)
        for (_, _, devs), labels in zip(blocks, assignments, strict=True):
            for label, d in zip(labels, devs, strict=True):
                sums[label] += d
                counts[label] += 1
        return sum(sums[g] ** 2 / counts[g] for g in counts)  # deviations sum to 0 per branch

    observed = between([labels for _, labels, _ in blocks])
    shuffled = [list(labels) for _, labels, _ in blocks]
    exceed = 0
    for _ in range(permutations):
        for labels in shuffled:
            rng.shuffle(labels)
        if between(shuffled) >= observed - 1e-12:
            exceed += 1
    return (exceed + 1) / (permutations + 1)


def _paired_p(
    blocks: list[tuple[str, list[str], list[float]]], g: str, h: str, *, rng: random.Random, permutations: int
) -> float | None:
    """Sign-flip test of g's deviation minus h's over the branches both scored (None: too few).
    With n branches the smallest possible p is about 2 ÷ 2ⁿ: six branches reach 0.03."""
    diffs = []
    for _, labels, devs in blocks:
        if g in labels and h in labels:
            diffs.append(devs[labels.index(g)] - devs[labels.index(h)])
    if len(diffs) < MIN_CALIBRATION_BRANCHES:
        return None
    observed = abs(sum(diffs))
    exceed = 0
    for _ in range(permutations):
        if abs(sum(d if rng.random() < 0.5 else -d for d in diffs)) >= observed - 1e-12:
            exceed += 1
    return (exceed + 1) / (permutations + 1)


def calibration(
    sheets: Sequence[SheetInput], calibration_branch_ids: set[int], *, rng: random.Random, permutations: int
) -> tuple[list[str], list[CalibrationFigure]]:
    """Each group's deviation from the groups' mean on the calibration branches it scored."""
    by_branch: dict[int, list[SheetInput]] = defaultdict(list)
    for s in sheets:
        if s.branch_id in calibration_branch_ids:
            by_branch[s.branch_id].append(s)
    blocks: list[tuple[str, list[str], list[float]]] = []  # (branch name, groups, deviations)
    for branch_sheets in by_branch.values():
        if len({s.group for s in branch_sheets}) < 2:
            continue
        codes = [c for c in branch_sheets[0].scores if all(c in s.scores for s in branch_sheets)]
        if not codes:
            continue
        means = {c: _mean([ratio(*s.scores[c]) for s in branch_sheets]) for c in codes}
        deviations = [_mean([ratio(*s.scores[c]) - means[c] for c in codes]) for s in branch_sheets]
        blocks.append((branch_sheets[0].branch_name, [s.group for s in branch_sheets], deviations))
    blocks.sort(key=lambda b: b[0])
    order = list(dict.fromkeys(s.group for s in sheets))
    groups = [g for g in order if any(g in labels for _, labels, _ in blocks)]
    figures = []
    for g in groups:
        detail = {name: d for name, labels, devs in blocks for label, d in zip(labels, devs, strict=True) if label == g}
        figures.append(
            CalibrationFigure(group=g, n=len(detail), deviation=_mean(list(detail.values())), by_branch=detail)
        )

    testable = [f.group for f in figures if f.n >= MIN_CALIBRATION_BRANCHES]
    if len(testable) >= 2:
        means = {f.group: f.deviation for f in figures}
        low = min(means[g] for g in testable)
        high = max(means[g] for g in testable)
        global_p = _calibration_global_p(blocks, rng=rng, permutations=permutations)
        for f in figures:
            if f.group not in testable:
                continue
            others = [h for h in testable if h != f.group]
            f.p = 1.0  # only a group on one side of every other (the lowest or highest) may differ
            if means[f.group] not in (low, high) or len({means[f.group] > means[h] for h in others}) != 1:
                continue
            pairs = [_paired_p(blocks, f.group, h, rng=rng, permutations=permutations) for h in others]
            f.p = max(1.0 if p is None else p for p in pairs)
        adjusted = holm([f.p for f in figures]) if len(testable) > 3 else [f.p for f in figures]
        for f, p in zip(figures, adjusted, strict=True):
            if p is not None:
                f.p_adjusted = max(p, global_p)
                f.flagged = f.p_adjusted < ALPHA
    return [name for name, _, _ in blocks], figures


def outliers(sheets: Sequence[SheetInput]) -> list[Outlier]:
    """Single scores far from the category's distribution for that indicator."""
    cells: dict[tuple[str, str], list[tuple[SheetInput, float]]] = defaultdict(list)
    for s in sheets:
        for code, (value, maximum) in s.scores.items():
            cells[(s.category, code)].append((s, ratio(value, maximum)))
    found = []
    for (category, code), rows in cells.items():
        if len(rows) < MIN_OUTLIER_N:
            continue
        ratios = [r for _, r in rows]
        middle = median(ratios)
        mad = max(median([abs(r - middle) for r in ratios]), MAD_FLOOR)
        for s, r in rows:
            z = 0.6745 * (r - middle) / mad
            if abs(z) > OUTLIER_Z:
                value, maximum = s.scores[code]
                found.append(
                    Outlier(
                        sheet_id=s.sheet_id,
                        branch_name=s.branch_name,
                        category=category,
                        group=s.group,
                        indicator=code,
                        value=value,
                        maximum=maximum,
                        median_ratio=middle,
                        z=z,
                    )
                )
    found.sort(key=lambda o: (o.category, o.indicator, o.z))
    return found


def severity_report(
    sheets: Sequence[SheetInput],
    indicators: Sequence[str],
    calibration_branch_ids: set[int] = frozenset(),
    *,
    seed: int = SEED,
    permutations: int | None = None,
) -> SeverityReport:
    """The whole report. `indicators` gives the indicator codes in display order."""
    if permutations is None:
        permutations = permutations_for(len(sheets))
    rng = random.Random(seed)
    compared, figures = between_groups(sheets, indicators, rng=rng, permutations=permutations)
    calibrated, calibration_figures = calibration(
        sheets, set(calibration_branch_ids), rng=rng, permutations=permutations
    )
    return SeverityReport(
        groups=list(dict.fromkeys(s.group for s in sheets)),
        indicators=compared,
        figures=figures,
        calibration=calibration_figures,
        calibration_branches=calibrated,
        outliers=outliers(sheets),
        seed=seed,
        permutations=permutations,
        group_categories=group_categories(sheets, set(calibration_branch_ids)),
    )


def group_categories(sheets: Sequence[SheetInput], calibration_branch_ids: set[int]) -> dict[str, list[str]]:
    """The categories each group scored, calibration branches left out (every group scores those)."""
    out: dict[str, set[str]] = {}
    for sheet in sheets:
        categories = out.setdefault(sheet.group, set())
        if sheet.branch_id not in calibration_branch_ids:
            categories.add(sheet.category)
    return {group: sorted(categories) for group, categories in out.items()}
