"""Names are plain text (issue 15).

A right-to-left override (U+202E), a zero-width space (U+200B) or a control character makes a name
look like another one, or hides part of it, while every list shows it as if it were ordinary.
Names of branches, units and users refuse them (with the character's code, so the person can
find it); other free text has them removed. Tabs and line breaks stay in free text.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Cc control, Cf format (bidi overrides and isolates, zero-width space/joiners, BOM, soft hyphen),
# Zl/Zp line and paragraph separators, Cs lone surrogates, Co private use.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})
FREE_TEXT_KEEPS = frozenset("\t\n\r")


def is_hidden(char: str) -> bool:
    return unicodedata.category(char) in HIDDEN_CATEGORIES


def hidden_characters(text: str) -> list[str]:
    """The hidden characters of `text`, in order, each once."""
    return list(dict.fromkeys(c for c in text if is_hidden(c)))


def strip_hidden(text: str) -> str:
    """Free text without hidden characters (tabs and line breaks kept)."""
    if text.isprintable():
        return text
    return "".join(c for c in text if c in FREE_TEXT_KEEPS or not is_hidden(c))


def describe(chars: list[str]) -> str:
    return "、".join(f"U+{ord(c):04X}" for c in chars)


@deconstructible
class PlainNameValidator:
    """Refuses control, bidirectional-override and zero-width characters in a name."""

    message = _("名称中含有不可见或控制字符（%(chars)s），可能使它看起来像另一个名称。请删除后重新输入。")
    code = "hidden_characters"

    def __call__(self, value) -> None:
        chars = hidden_characters(str(value))
        if chars:
            raise ValidationError(self.message, code=self.code, params={"chars": describe(chars)})

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainNameValidator)


validate_plain_name = PlainNameValidator()
