"""The star rule (星级党支部) on constructed histories: pure functions, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ratings.rules import DEFAULT_LEVELS, QuarterOutcome, StarLevelRule, level_errors, star_rating, stars_text

D = Decimal
LEVELS = [
    StarLevelRule(5, D("95.00"), True),
    StarLevelRule(4, D("92.00"), True),
    StarLevelRule(3, D("90.00"), False),
    StarLevelRule(2, D("88.00"), False),
    StarLevelRule(1, D("85.00"), False),
]


def history(*totals, blue=()):
    """Outcomes in quarter order; `blue` = positions on the blue board; None = not ranked."""
    return [
        QuarterOutcome(f"2018Q{i + 1}", None if t is None else D(t), "blue" if i in blue else "")
        for i, t in enumerate(totals)
    ]


@pytest.mark.parametrize(
    ("average", "stars"),
    [
        ("95.00", 5),
        ("94.99", 4),
        ("92.00", 4),
        ("91.99", 3),
        ("90.00", 3),
        ("89.99", 2),
        ("88.00", 2),
        ("87.99", 1),
        ("85.00", 1),
        ("84.99", 0),
        ("100.50", 5),
    ],
)
def test_each_threshold_is_reached_exactly_at_its_minimum(average, stars):
    result = star_rating(history(average, average, average, average), LEVELS)
    assert (result.stars, result.average, result.counted) == (stars, D(average), 4)


def test_the_average_is_over_the_ranked_quarters_and_rounded_to_the_cent():
    # (95.00 + 94.99 + 94.99) / 3 = 94.9933… → 94.99: four stars, not five.
    assert star_rating(history("95.00", "94.99", "94.99"), LEVELS).average == D("94.99")
    assert star_rating(history("95.00", "94.99", "94.99"), LEVELS).stars == 4
    # (95.01 + 94.99 + 95.00) / 3 = 95.00 exactly: five stars.
    assert star_rating(history("95.01", "94.99", "95.00"), LEVELS).stars == 5


def test_a_blue_board_blocks_every_level_closed_to_it():
    result = star_rating(history("96", "97", "98", "96", blue=(2,)), LEVELS)
    # 96.75 reaches five stars, but 5 and 4 ask for no blue board: the highest open level is 3.
    assert (result.stars, result.blue_count) == (3, 1)


def test_a_blue_board_outside_the_window_no_longer_counts():
    outcomes = history("96", "96", "96", "96", "96", blue=(0,))  # five quarters, blue in the first
    assert star_rating(outcomes, LEVELS).stars == 5
    assert star_rating(outcomes, LEVELS, window=5).stars == 3


def test_only_the_last_four_quarters_count():
    assert star_rating(history("60", "96", "96", "96", "96"), LEVELS).average == D("96.00")


def test_quarters_without_a_ranking_are_left_out_of_the_average():
    result = star_rating(history("96", None, "94", None), LEVELS)
    assert (result.average, result.counted, result.stars) == (D("95.00"), 2, 5)


def test_no_ranked_quarter_means_no_star():
    assert star_rating(history(None, None), LEVELS).stars == 0
    assert star_rating([], LEVELS).average is None


def test_no_level_reached_means_no_star():
    assert star_rating(history("70", "80"), LEVELS).stars == 0


def test_the_levels_order_in_the_list_does_not_matter():
    assert star_rating(history("93"), list(reversed(LEVELS))).stars == 4


def test_the_default_rule_gives_five_stars_for_95_without_a_blue_board():
    assert star_rating(history("95", "95", "95", "95"), DEFAULT_LEVELS).stars == 5
    assert star_rating(history("95", "95", "95", "95", blue=(1,)), DEFAULT_LEVELS).stars < 5


def test_level_errors_want_higher_averages_for_more_stars_and_no_blue_from_below_upwards():
    assert level_errors(LEVELS) == {}
    same = [StarLevelRule(5, D("90"), True), StarLevelRule(4, D("90"), True)]
    assert level_errors(same) == {5: "order"}
    blue_below = [StarLevelRule(5, D("95"), False), StarLevelRule(4, D("92"), True)]
    assert level_errors(blue_below) == {5: "blue"}
    assert level_errors([StarLevelRule(1, D("-1"), False)]) == {1: "range"}


def test_stars_text():
    assert stars_text(3) == "★★★☆☆" and stars_text(0) == "☆☆☆☆☆"
