"""The severity report's permutation tests as numpy array operations (fairness.statistics):
every shuffle of a test is one row of an array, every pair of groups one column, so the work is a
few array passes, not Python loops over shuffles or pairs. The budget is described in
fairness.statistics."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from fairness.report import LARGE_SAMPLE, MIN_CALIBRATION_BRANCHES

TOLERANCE = 1e-12  # a shuffled statistic this close to the observed one counts as "as large"
CHUNK_ELEMENTS = 4_000_000  # floats per block of shuffles held in memory at once
# A global test with a group under LARGE_SAMPLE sheets is shuffled: at most this many values drawn
# for one set of sheets, and never fewer than MIN_MC_GLOBAL shuffles (p resolved to 0.005).
MC_GLOBAL_BUDGET = 30_000_000
MIN_MC_GLOBAL = 199


def index_of(labels: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """(the distinct labels in the order they first come, each row's position among them)."""
    order = list(dict.fromkeys(labels))
    position = {g: k for k, g in enumerate(order)}
    return order, np.fromiter((position[g] for g in labels), dtype=np.int64, count=len(labels))


def chunks(permutations: int, width: int):
    size = max(1, CHUNK_ELEMENTS // max(width, 1))
    for start in range(0, permutations, size):
        yield min(size, permutations - start)


def global_pvalues(
    values: np.ndarray, labels: np.ndarray, *, rng: np.random.Generator, permutations: int
) -> np.ndarray:
    """For each column of `values` (rows: sheets, columns: series scored on the same sheets), the
    p of "the groups differ at all": the between-group sum of squares B under random relabelling.
    Where every group has LARGE_SAMPLE sheets or more, from its large-sample permutation
    distribution, (N − 1)·B ÷ T ~ χ² with (groups − 1) degrees of freedom (T the total sum of
    squares, fixed under relabelling); else a Monte Carlo test, the labels shuffled over the sheets,
    one set of shuffles for every column (at most MC_GLOBAL_BUDGET values drawn in all)."""
    order = np.argsort(labels, kind="stable")
    values, labels = values[order], labels[order]
    _, starts, sizes = np.unique(labels, return_index=True, return_counts=True)
    grand = values.mean(axis=0)

    def between(sums: np.ndarray) -> np.ndarray:  # sums: (..., groups, series)
        means = sums / sizes[:, None]
        return (sizes[:, None] * (means - grand) ** 2).sum(axis=-2)

    observed = between(np.add.reduceat(values, starts, axis=0))
    n = len(labels)
    if len(sizes) < 2:
        return np.ones(values.shape[1])
    if sizes.min() >= LARGE_SAMPLE:
        total = ((values - grand) ** 2).sum(axis=0)
        return np.array(
            [1.0 if t <= 0 else chi2_sf((n - 1) * b / t, len(sizes) - 1) for b, t in zip(observed, total, strict=True)]
        )
    permutations = max(MIN_MC_GLOBAL, min(permutations, MC_GLOBAL_BUDGET // (n * values.shape[1])))
    exceed = np.zeros(values.shape[1], dtype=np.int64)
    for count in chunks(permutations, n * values.shape[1]):
        shuffled = rng.permuted(np.broadcast_to(np.arange(n), (count, n)), axis=1)
        sums = np.add.reduceat(values[shuffled], starts, axis=1)  # (count, groups, series)
        exceed += (between(sums) >= observed - TOLERANCE).sum(axis=0)
    return (exceed + 1) / (permutations + 1)


def chi2_sf(x: float, df: int) -> float:
    """P(χ²_df ≥ x): the regularized upper incomplete gamma Q(df/2, x/2) (series below a + 1, a
    continued fraction above; Numerical Recipes' gammq), exact to ~1e-12."""
    a, y = df / 2.0, x / 2.0
    if y <= 0:
        return 1.0
    log_front = -y + a * math.log(y) - math.lgamma(a)
    if y < a + 1:
        term = total = 1.0 / a
        k = a
        for _ in range(10_000):
            k += 1
            term *= y / k
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b = y + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, math.exp(log_front) * h)


def pair_pvalues(
    pairs: list[tuple[np.ndarray, np.ndarray]], *, rng: np.random.Generator, permutations: int
) -> list[float]:
    """Two-sided p of mean(a) − mean(b) for each pair (a, b): the closed form where both sides are
    large, else a Monte Carlo permutation test, all the small pairs shuffled together."""
    out: list[float] = [1.0] * len(pairs)
    small = []
    for k, (a, b) in enumerate(pairs):
        if min(len(a), len(b)) >= LARGE_SAMPLE:
            out[k] = closed_form_p(a, b)
        else:
            small.append(k)
    if not small:
        return out
    width = max(len(pairs[k][0]) + len(pairs[k][1]) for k in small)
    pooled = np.zeros((len(small), width))
    real = np.zeros((len(small), width), dtype=bool)
    first = np.zeros(len(small), dtype=np.int64)
    second = np.zeros(len(small), dtype=np.int64)
    for row, k in enumerate(small):
        a, b = pairs[k]
        pooled[row, : len(a) + len(b)] = np.concatenate([a, b])
        real[row, : len(a) + len(b)] = True
        first[row], second[row] = len(a), len(b)
    totals = pooled.sum(axis=1)
    observed = np.abs(differences(pooled, first, second, totals))
    exceed = np.zeros(len(small), dtype=np.int64)
    for count in chunks(permutations, len(small) * width):
        # Random keys, padding last: the first `first` positions of each row's order are a uniformly
        # drawn subset of its real values, as a shuffle of the pooled labels would give.
        keys = rng.random((count, len(small), width))
        keys[:, ~real] = 2.0
        drawn = np.take_along_axis(pooled[None, :, :], np.argsort(keys, axis=2), axis=2)
        running = np.cumsum(drawn, axis=2)
        subset = np.take_along_axis(running, (first - 1)[None, :, None], axis=2)[:, :, 0]
        shuffled = subset / first - (totals - subset) / second
        exceed += (np.abs(shuffled) >= observed - TOLERANCE).sum(axis=0)
    for row, k in enumerate(small):
        out[k] = float((exceed[row] + 1) / (permutations + 1))
    return out


def differences(pooled: np.ndarray, first: np.ndarray, second: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """mean of each row's first `first` values − mean of the rest."""
    positions = np.arange(pooled.shape[1])[None, :]
    own = np.where(positions < first[:, None], pooled, 0.0).sum(axis=1)
    return own / first - (totals - own) / second


def closed_form_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p of mean(a) − mean(b) from its permutation distribution's exact mean (0) and
    variance, N²σ² ÷ (n₁n₂(N − 1)) with σ² the population variance of the pooled values."""
    n1, n2 = len(a), len(b)
    n = n1 + n2
    pooled = np.concatenate([a, b])
    variance = float(pooled.var()) * n * n / (n1 * n2 * (n - 1))
    difference = float(a.mean() - b.mean())
    if variance <= 0.0:
        return 1.0  # every value equal: no shuffle can differ from another
    return min(1.0, math.erfc(abs(difference) / math.sqrt(2.0 * variance)))


def calibration_global_p(
    blocks: list[tuple[str, list[str], np.ndarray]], *, rng: np.random.Generator, permutations: int
) -> float:
    """Do the groups' deviations differ at all? Between-group sum of squares, labels shuffled
    within each branch (deviations sum to 0 per branch, so Σ sum² ÷ count is enough)."""
    _, labels = index_of([g for _, block_labels, _ in blocks for g in block_labels])
    deviations = np.concatenate([devs for _, _, devs in blocks])
    block = np.concatenate([np.full(len(devs), k) for k, (_, _, devs) in enumerate(blocks)])
    groups = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=groups)
    seen = counts > 0

    def between(sums: np.ndarray) -> np.ndarray:
        return (sums[..., seen] ** 2 / counts[seen]).sum(axis=-1)

    observed = between(np.bincount(labels, weights=deviations, minlength=groups))
    exceed = 0
    n = len(labels)
    for count in chunks(permutations, n):
        # Keys offset by the branch: sorting them shuffles the labels within each branch only.
        order = np.argsort(rng.random((count, n)) + block * 2.0, axis=1)
        shuffled = labels[order]
        flat = (np.arange(count)[:, None] * groups + shuffled).ravel()
        sums = np.bincount(flat, weights=np.broadcast_to(deviations, (count, n)).ravel(), minlength=count * groups)
        exceed += int((between(sums.reshape(count, groups)) >= observed - TOLERANCE).sum())
    return (exceed + 1) / (permutations + 1)


def paired_pvalues(
    blocks: list[tuple[str, list[str], np.ndarray]],
    requests: list[tuple[str, str]],
    *,
    rng: np.random.Generator,
    permutations: int,
) -> list[float | None]:
    """Sign-flip test of g's deviation minus h's over the branches both scored, for every (g, h)
    at once (None: too few). With n branches the smallest possible p is about 2 ÷ 2ⁿ: six branches
    reach 0.03."""
    out: list[float | None] = [None] * len(requests)
    rows, diffs_of = [], []
    for k, (g, h) in enumerate(requests):
        diffs = [
            devs[labels.index(g)] - devs[labels.index(h)] for _, labels, devs in blocks if g in labels and h in labels
        ]
        if len(diffs) >= MIN_CALIBRATION_BRANCHES:
            rows.append(k)
            diffs_of.append(diffs)
    if not rows:
        return out
    width = max(len(d) for d in diffs_of)
    matrix = np.zeros((len(rows), width))  # padding 0: a flipped zero changes no sum
    for r, diffs in enumerate(diffs_of):
        matrix[r, : len(diffs)] = diffs
    observed = np.abs(matrix.sum(axis=1))
    exceed = np.zeros(len(rows), dtype=np.int64)
    for count in chunks(permutations, len(rows) * width):
        signs = np.where(rng.random((count, len(rows), width)) < 0.5, 1.0, -1.0)
        exceed += (np.abs((signs * matrix).sum(axis=2)) >= observed - TOLERANCE).sum(axis=0)
    for r, k in enumerate(rows):
        out[k] = float((exceed[r] + 1) / (permutations + 1))
    return out
