"""What a typed score means: the one parser of scores.

Used by the sheet form (`scoring.forms.ScoreField`), the services (`score_error` on every value
they save), the spreadsheet import and the sheet's history and merge. The browser's running total
and local draft follow the same rule in static/js/score-text.js; tests/e2e/test_score_text.py feeds
the same texts to both and compares.

Pure: no ORM, no I/O.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from scoring.numbers import TENTH, format_plain, format_tenth

# ASCII digits only once full-width ones are mapped (no exponents, NaN, separators, other scripts).
PLAIN_NUMBER_RE = re.compile(r"^[+-]?([0-9]{1,6}(\.[0-9]*)?|\.[0-9]+)$")
SCORE_SPACE = " \t\n\r\f\v\u00a0\u3000"  # trimmed around a score, as the browser trims
_HALF_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "。": ".", "．": "."})

# ValidationError codes: the text is not a number at all, or a number the indicator refuses.
INVALID = "invalid"
OUT_OF_RANGE = "range"


def score_error(value: Decimal, maximum: Decimal) -> str | None:
    """The Chinese reason a score is not acceptable on an indicator of `maximum`, or None."""
    if not value.is_finite():
        return _("请输入数字，例如 8 或 8.5。")
    if value < 0:
        return _("得分不能小于 0。")
    if value > maximum:
        return _("得分不能超过本项满分 %(max)s 分。") % {"max": format_plain(maximum)}
    if value != value.quantize(TENTH):
        return _("得分最多保留一位小数。")
    return None


def parse_score(text: str | None, maximum: Decimal) -> Decimal | None:
    """A typed score as a Decimal (None when empty), or a ValidationError with the Chinese reason
    (code INVALID for a text that is no number, OUT_OF_RANGE for a number the indicator refuses).
    "９.５", "9。5" and " 9.5 " are 9.5; "-0" is 0."""
    text = (text or "").translate(_HALF_WIDTH).strip(SCORE_SPACE)
    if not text:
        return None
    if not PLAIN_NUMBER_RE.match(text):
        raise ValidationError(_("请输入数字，例如 8 或 8.5。"), code=INVALID)
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise ValidationError(_("请输入数字，例如 8 或 8.5。"), code=INVALID) from None
    if error := score_error(number, maximum):
        raise ValidationError(error, code=OUT_OF_RANGE)
    return number if number else Decimal(0)  # "-0" is 0, not a negative zero


def canonical_score(value: Decimal | None) -> str:
    """A score as the history records it and compares it: "9.5", "12.0"; "" for not scored."""
    return format_tenth(value)


def same_score_text(text: str | None, recorded: str) -> bool:
    """Whether a typed text means the score the history recorded (`recorded` as canonical_score
    wrote it), whatever the indicator's maximum: "９。５" and "9.50" mean "9.5"."""
    try:
        return canonical_score(parse_score(text, Decimal(10**6))) == recorded
    except ValidationError:
        return False
