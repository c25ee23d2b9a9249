"""Names are plain text (issue 15).

A right-to-left override (U+202E), a zero-width space (U+200B) or a control character makes a name
look like another one, or hides part of it, while every list shows it as if it were ordinary.
Names of branches, units and users refuse them (with the character's code, so the person can
find it); other free text has them removed. Tabs and line breaks stay in free text.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
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


def shorten_keeping_extension(name: str, limit: int) -> str:
    """`name` cut to `limit` characters, the extension kept: "很长的名字….pdf" stays a .pdf."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) + 1 >= limit:
        return name[:limit]
    return stem[: limit - len(ext) - 1] + "." + ext


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


# Apps whose free text is cleaned on save (branches.apps connects it). Names with PlainNameValidator
# are refused instead (their forms and imports say why), and passwords are never touched.
FREE_TEXT_APPS = frozenset({"branches", "scoring", "boards", "interviews", "reports"})


def strip_hidden_on_save(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: remove hidden characters from the free-text fields of the portal's models."""
    if raw or sender._meta.app_label not in FREE_TEXT_APPS:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.name == "password":
            continue
        if any(isinstance(v, PlainNameValidator) for v in field.validators):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and not value.isprintable():
            setattr(instance, field.attname, strip_hidden(value))
