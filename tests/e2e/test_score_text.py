"""The browser and the server read a typed score the same way: the same texts fed to the page's
parser (static/js/score-text.js, run in Chromium) and to the server's one parser
(scoring.scores.parse_score, which the form field, the import and the history use) are accepted or
refused alike, with the same value."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from scoring.forms import ScoreField
from scoring.scores import parse_score

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "score-text.js"

TEXTS = [
    # plain, and as the server stores them
    "0",
    "9",
    "9.5",
    "12",
    "12.0",
    "11.9",
    "8.50",
    "8.500000",
    "007",
    "9.",
    ".5",
    "+9",
    "-0",
    "-0.0",
    # full-width digits and points, Chinese full stops, full-width and ordinary spaces
    "９.５",
    "９．５",
    "9。5",
    "１２",
    "１２．０",
    "１２．１",
    "０",
    "　９.５　",
    " 7。5 ",
    "\t8\n",
    "\u00a09",
    # refused: above the maximum, negative, two decimals, not a number
    "12.1",
    "13",
    "100",
    "-1",
    "-0.1",
    "8.25",
    "8.55",
    "8.05",
    "1234567",
    "1e1",
    "1E1",
    "1,5",
    "9,5",
    "八分",
    "NaN",
    "nan",
    "Infinity",
    "inf",
    "0x10",
    "9 .5",
    "9. 5",
    "9..5",
    "9.5.1",
    ".",
    "+",
    "-",
    "+-9",
    "--9",
    "",
    " ",
    "　",
    "９,５",
    "٩",
    "९",
    "¹",
    "½",
    "9\u20025",
    "\u20029",
    "9\ufeff",
    "\u200b9",
]


def random_texts(n: int) -> list[str]:
    rng = random.Random(14)  # fixed: the same texts in every run
    alphabet = "0123456789０１２３４５６７８９..。．+- \u3000e,"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(n)]


def server(text: str, maximum: str):
    try:
        value = parse_score(text, Decimal(maximum))
    except ValidationError:
        return "refused"
    return "empty" if value is None else int(value * 10)


def form_field(text: str, maximum: str):
    try:
        value = ScoreField(max_score=Decimal(maximum)).clean(text)
    except ValidationError:
        return "refused"
    return "empty" if value is None else int(value * 10)


def browser_side(page, texts: list[str], maximum: str) -> list:
    return page.evaluate(
        """([texts, maximum]) => texts.map((t) => {
             const r = window.ScoreText.parse(t, maximum);
             return r.empty ? "empty" : (r.tenths === undefined ? "refused" : r.tenths);
           })""",
        [texts, maximum],
    )


@pytest.mark.parametrize("maximum", ["12", "12.0", "2.25", "100"])
def test_the_browser_and_the_server_accept_exactly_the_same_score_texts(browser, maximum):
    texts = TEXTS + random_texts(600)
    page = browser.new_page()
    try:
        page.add_script_tag(path=str(SCRIPT))
        seen = browser_side(page, texts, maximum)
    finally:
        page.close()
    expected = [server(t, maximum) for t in texts]
    differ = [(t, b, s) for t, b, s in zip(texts, seen, expected, strict=True) if b != s]
    assert differ == []
    # The sheet's form field reads through the same parser.
    assert [form_field(t, maximum) for t in texts] == expected
    # The list means something: both accept and both refuse, full-width included.
    assert server("９.５", maximum) == 95 or Decimal(maximum) < Decimal("9.5")
    assert server("8.25", maximum) == "refused"
    assert {"refused", "empty"} <= set(expected) and any(isinstance(v, int) for v in expected)
