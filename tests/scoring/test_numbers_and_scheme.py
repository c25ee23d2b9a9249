"""The rules defined once: the number constants and formats (scoring.numbers), the scheme of a
category (scoring.scheme, Indicator.objects.for_category) and the published quarters
(Quarter.objects.published / latest_published)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from branches.models import Category
from scoring import scheme
from scoring.models import Indicator, Quarter
from scoring.numbers import CENT, TENTH, format_cent, format_plain, format_signed, format_tenth, round_cent
from scoring.scores import INVALID, OUT_OF_RANGE, canonical_score, parse_score, same_score_text, score_error
from tests import factories


def test_the_constants_are_a_tenth_and_a_cent():
    assert (TENTH, CENT) == (Decimal("0.1"), Decimal("0.01"))


def test_numbers_are_written_one_way():
    assert round_cent(Decimal("98.125")) == Decimal("98.13")
    assert format_cent(Decimal("98.5")) == "98.50"
    assert format_cent(None) == "—"
    assert format_signed(Decimal("1.5")) == "+1.50"
    assert format_signed(Decimal("-0.5")) == "−0.50"
    assert format_signed(Decimal("0")) == "0.00"
    assert format_tenth(Decimal("9.50")) == "9.5"
    assert format_tenth(None) == ""
    assert format_plain(Decimal("12.0")) == "12"
    assert format_plain(Decimal("10")) == "10"  # not "1E+1"


def test_the_parser_reads_full_width_and_refuses_with_a_reason():
    assert parse_score("９。５", Decimal("10")) == Decimal("9.5")
    assert parse_score("  ", Decimal("10")) is None
    assert str(parse_score("-0", Decimal("10"))) == "0"
    with pytest.raises(ValidationError) as no_number:
        parse_score("1e1", Decimal("10"))
    assert no_number.value.code == INVALID
    with pytest.raises(ValidationError) as too_high:
        parse_score("10.5", Decimal("10"))
    assert too_high.value.code == OUT_OF_RANGE
    assert too_high.value.messages == ["得分不能超过本项满分 10 分。"]


def test_score_error_names_each_reason():
    assert score_error(Decimal("8.5"), Decimal("10")) is None
    assert score_error(Decimal("-1"), Decimal("10")) == "得分不能小于 0。"
    assert score_error(Decimal("8.25"), Decimal("10")) == "得分最多保留一位小数。"


def test_the_history_compares_scores_by_meaning():
    assert canonical_score(Decimal("9.50")) == "9.5"
    assert same_score_text("９.５", "9.5")
    assert not same_score_text("9.6", "9.5")
    assert not same_score_text("abc", "9.5")


def test_a_categorys_scheme_is_the_five_standardizations_then_its_own():
    assert scheme.scheme_categories(Category.II) == ("", Category.II)
    assert scheme.applies_to("", Category.I) and scheme.applies_to(Category.I, Category.I)
    assert not scheme.applies_to(Category.II, Category.I)
    per = {"": {1: "s1"}, "1": {2: "i1"}, "2": {3: "ii1"}}
    assert list(scheme.merge(per, "1")) == [1, 2]
    assert scheme.count({"": 5, "1": 3, "2": 4}, "2") == 9


@pytest.mark.django_db
def test_indicators_for_a_category_come_standardizations_first():
    quarter = factories.QuarterFactory(code="2019Q1")
    indicators = list(Indicator.objects.filter(quarter=quarter).for_category(Category.II))
    categories = [i.category for i in indicators]
    assert set(categories) == {"", Category.II}
    assert categories == sorted(categories)  # "" first
    assert len(indicators) == quarter.indicators.filter(scheme.scheme_q("", Category.II)).count()


@pytest.mark.django_db
def test_published_quarters_come_newest_first():
    old = factories.QuarterFactory(code="2018Q4", status=Quarter.Status.PUBLISHED)
    new = factories.QuarterFactory(code="2019Q1", status=Quarter.Status.PUBLISHED)
    factories.QuarterFactory(code="2019Q2", status=Quarter.Status.SCORING)
    assert list(Quarter.objects.published()) == [new, old]
    assert Quarter.objects.latest_published() == new


@pytest.mark.django_db
def test_there_is_no_latest_published_quarter_before_the_first_publication():
    factories.QuarterFactory(code="2019Q1", status=Quarter.Status.SCORING)
    assert Quarter.objects.latest_published() is None
