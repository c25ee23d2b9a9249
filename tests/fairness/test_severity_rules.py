"""The severity report's statistics on constructed data (fairness.statistics, no database)."""

from __future__ import annotations

import random
from decimal import Decimal

from fairness.report import OVERALL, SeverityReport, SheetInput
from fairness.statistics import holm, outliers, severity_report

MAX = Decimal("10")
CODES = ["S1", "S2", "S3"]


def sheets(shifts: dict[str, Decimal], per_group: int = 10, seed: int = 7) -> list[SheetInput]:
    """per_group sheets per group; each branch's scores drawn around 8.5/10, the group's shift added."""
    rng = random.Random(seed)
    out = []
    n = 0
    for group, shift in shifts.items():
        for _ in range(per_group):
            n += 1
            base = Decimal(rng.randint(78, 92)) / 10
            scores = {
                code: (min(MAX, max(Decimal("0"), base + Decimal(rng.randint(-3, 3)) / 10 + shift)), MAX)
                for code in CODES
            }
            out.append(SheetInput(n, n, f"支部{n}", "1", group, scores))
    return out


def test_a_group_made_stricter_by_a_known_amount_is_flagged_and_the_others_are_not():
    report = severity_report(sheets({"甲组": Decimal("0"), "乙组": Decimal("-1.0"), "丙组": Decimal("0")}), CODES)
    strict = report.figure("乙组", OVERALL)
    assert strict.flagged and strict.difference < -0.05
    assert strict.n == 10 and strict.others_n == 20
    assert {(f.group, f.indicator) for f in report.flagged} <= {("乙组", c) for c in [*CODES, OVERALL]}
    assert [g for g, _, _ in report.group_flags()] == ["乙组"]


def test_equal_groups_are_not_flagged_at_the_fixed_seed():
    for data_seed in (1, 2, 3):
        report = severity_report(sheets(dict.fromkeys(["甲组", "乙组", "丙组"], Decimal("0")), seed=data_seed), CODES)
        assert report.flagged == [], data_seed


def test_the_report_is_the_same_every_time_at_the_fixed_seed():
    data = sheets({"甲组": Decimal("0"), "乙组": Decimal("-0.4")})
    first, second = severity_report(data, CODES), severity_report(data, CODES)
    assert [f.p for f in first.figures] == [f.p for f in second.figures]


def test_a_group_with_too_few_sheets_is_shown_but_not_tested():
    data = sheets({"甲组": Decimal("0"), "丙组": Decimal("0")}) + sheets({"乙组": Decimal("-2")}, per_group=3, seed=9)
    data = [SheetInput(n, n, s.branch_name, s.category, s.group, s.scores) for n, s in enumerate(data)]
    figure = severity_report(data, CODES).figure("乙组", OVERALL)
    assert figure.n == 3 and figure.p is None and not figure.flagged


def test_an_indicator_only_one_group_scores_is_not_compared():
    data = sheets({"甲组": Decimal("0"), "乙组": Decimal("0")})
    own = [
        SheetInput(s.sheet_id, s.branch_id, s.branch_name, s.category, s.group, {**s.scores, "A1": (MAX, MAX)})
        if s.group == "甲组"
        else s
        for s in data
    ]
    assert severity_report(own, [*CODES, "A1"]).indicators == CODES


def test_an_indicator_only_one_group_scores_often_enough_is_not_compared():
    data = sheets({"甲组": Decimal("0"), "乙组": Decimal("0")})
    # 乙组 scores A1 on two (calibration) branches only: too few sheets for a comparison.
    extra = [
        SheetInput(s.sheet_id, s.branch_id, s.branch_name, s.category, s.group, {**s.scores, "A1": (MAX, MAX)})
        if s.group == "甲组" or s.sheet_id in (11, 12)
        else s
        for s in data
    ]
    assert severity_report(extra, [*CODES, "A1"]).indicators == CODES


def calibration_sheets(offsets: dict[str, Decimal], branches: int) -> list[SheetInput]:
    out, n = [], 0
    for b in range(branches):
        base = Decimal("7.5") + Decimal(b % 4) / 2  # branches differ; the groups see the same branch
        for group, offset in offsets.items():
            n += 1
            out.append(SheetInput(n, 1000 + b, f"校准{b}", "2", group, {c: (base + offset, MAX) for c in CODES}))
    return out


def test_calibration_measures_a_stricter_group_on_the_same_branches():
    data = calibration_sheets({"甲组": Decimal("0.2"), "乙组": Decimal("-0.4"), "丙组": Decimal("0.2")}, branches=6)
    report = severity_report(data, CODES, {1000 + b for b in range(6)})
    by_group = {c.group: c for c in report.calibration}
    assert by_group["乙组"].n == 6
    # Hand-computed: the branch mean is base + 0; 乙组 is 0.4 below it on every indicator = −4 points.
    assert abs(by_group["乙组"].deviation - (-0.04)) < 1e-9
    assert abs(by_group["甲组"].deviation - 0.02) < 1e-9
    assert by_group["乙组"].flagged and not by_group["甲组"].flagged and not by_group["丙组"].flagged
    assert len(report.calibration_branches) == 6


def test_calibration_with_too_few_branches_is_not_tested():
    data = calibration_sheets({"甲组": Decimal("0.2"), "乙组": Decimal("-0.4")}, branches=5)
    report = severity_report(data, CODES, {1000 + b for b in range(5)})
    assert all(c.p is None and not c.flagged for c in report.calibration)


def test_a_single_score_far_from_its_category_is_listed_for_a_second_look():
    data = sheets({"甲组": Decimal("0"), "乙组": Decimal("0")})
    odd = data[4]
    data[4] = SheetInput(
        odd.sheet_id, odd.branch_id, odd.branch_name, "1", odd.group, {**odd.scores, "S2": (Decimal("2"), MAX)}
    )
    found = outliers(data)
    assert [(o.branch_name, o.indicator, o.value) for o in found] == [(odd.branch_name, "S2", Decimal("2"))]
    assert found[0].z < -3.5


def test_equal_scores_make_no_outliers():
    data = [SheetInput(n, n, f"支部{n}", "1", "甲组", {"S1": (Decimal("9"), MAX)}) for n in range(10)]
    data.append(SheetInput(99, 99, "支部99", "1", "甲组", {"S1": (Decimal("8.9"), MAX)}))
    assert outliers(data) == []


def test_holm_adjusts_in_order_and_keeps_missing_values():
    assert holm([0.01, None, 0.04, 0.03]) == [0.03, None, 0.06, 0.06]


def test_the_report_survives_being_kept_as_json():
    report = severity_report(sheets({"甲组": Decimal("0"), "乙组": Decimal("-0.8")}), CODES)
    again = SeverityReport.from_dict(report.as_dict())
    assert again.as_dict() == report.as_dict()
    assert again.figure("乙组", OVERALL).flagged


def test_fewer_permutations_as_the_sheets_grow_but_never_below_the_floor():
    from fairness.report import MIN_PERMUTATIONS, PERMUTATIONS
    from fairness.statistics import permutations_for

    assert permutations_for(32) == PERMUTATIONS
    assert permutations_for(200) == 2000
    assert permutations_for(30_000) == MIN_PERMUTATIONS


def test_on_many_calibration_branches_the_equal_groups_do_not_look_lenient_against_a_strict_one():
    data = calibration_sheets(
        {"甲组": Decimal("0"), "乙组": Decimal("-0.6"), "丙组": Decimal("0"), "丁组": Decimal("0")}, branches=12
    )
    report = severity_report(data, CODES, {1000 + b for b in range(12)})
    assert {c.group for c in report.calibration if c.flagged} == {"乙组"}
    assert all(c.deviation > 0 for c in report.calibration if c.group != "乙组")


def test_calibration_with_equal_groups_flags_nobody():
    rng = random.Random(5)
    data = []
    for b in range(10):
        base = Decimal("7.5") + Decimal(b % 4) / 2
        for n, group in enumerate(["甲组", "乙组", "丙组"]):
            noise = {c: (base + Decimal(rng.randint(-3, 3)) / 10, MAX) for c in CODES}
            data.append(SheetInput(b * 3 + n, 1000 + b, f"校准{b}", "2", group, noise))
    report = severity_report(data, CODES, {1000 + b for b in range(10)})
    assert not any(c.flagged for c in report.calibration)


# --- the budget (issue 20): closed forms where the samples are large ------------------------------


def test_the_closed_forms_agree_with_shuffling_on_large_groups():
    import numpy as np

    from fairness import permutation

    rng = np.random.default_rng(11)
    for shift in (0.0, 0.02, 0.04):
        a = rng.integers(60, 101, 80) / 100 - shift
        b = rng.integers(60, 101, 90) / 100
        shuffled = permutation.pair_pvalues(
            [(a[: permutation.LARGE_SAMPLE - 1], b)], rng=np.random.default_rng(1), permutations=4000
        )  # a small side: shuffled
        assert 0 < shuffled[0] <= 1
        closed = permutation.closed_form_p(a, b)
        labels = np.repeat([0, 1], [len(a), len(b)])
        values = np.concatenate([a, b])
        # the same pair through the Monte Carlo path (forced) and through the closed form
        keys = rng.permuted(np.broadcast_to(np.arange(len(values)), (4000, len(values))), axis=1)
        drawn = values[keys][:, : len(a)].sum(axis=1)
        diffs = drawn / len(a) - (values.sum() - drawn) / len(b)
        monte_carlo = ((np.abs(diffs) >= abs(a.mean() - b.mean()) - 1e-12).sum() + 1) / 4001
        assert abs(closed - monte_carlo) < 0.03, (shift, closed, monte_carlo)
        chi = permutation.global_pvalues(values[:, None], labels, rng=np.random.default_rng(2), permutations=999)[0]
        assert abs(chi - closed) < 0.03, (shift, chi, closed)  # two groups: the same test


def test_among_a_hundred_large_groups_a_strict_one_is_flagged_and_no_other():
    # Holm over 100 groups asks for p below 0.05 ÷ 100, which 999 shuffles cannot give: the closed
    # form does.
    rng = random.Random(3)
    data, n = [], 0
    for g in range(100):
        for _ in range(40):
            n += 1
            base = Decimal(rng.randint(70, 95)) / 10 - (Decimal("1.5") if g == 37 else 0)
            data.append(SheetInput(n, n, f"支部{n}", "123"[g % 3], f"第{g:03d}组", {"S1": (base, MAX)}))
    report = severity_report(data, ["S1"])
    assert [g for g, _, _ in report.group_flags()] == ["第037组"]


def test_fifty_thousand_sheets_of_a_hundred_groups_take_seconds_not_minutes():
    import time

    import numpy as np

    from fairness.statistics import SeverityData

    n, groups = 50_000, 100
    rng = np.random.default_rng(5)
    codes = ["S1", "S2", "S3", "S4", "S5"]
    group = np.sort(np.arange(n) % groups)
    data = SeverityData(
        sheet_ids=np.arange(n),
        branch_ids=np.arange(n),
        branch_names=[f"支部{i}" for i in range(n)],
        categories=["123"[g % 3] for g in group],
        groups=[f"第{g:03d}组" for g in group],
        codes=codes,
        ratios=rng.integers(60, 101, (n, len(codes))) / 100,
        exact=lambda i, j: (Decimal("8"), MAX),
    )
    started = time.perf_counter()
    report = severity_report(data, codes, set(range(0, 1000, 100)))
    assert time.perf_counter() - started < 10
    assert len(report.groups) == groups and report.indicators == codes
