"""What the apps above scoring add to its quarter pages (党建部's quarter page, the new quarter's
setup page).

scoring sits below boards (ARCHITECTURE.md), yet these pages show publication's follow-ups and the
red/blue adjustment table, which boards owns. So boards registers a part of each page in its
AppConfig.ready(): a function of the quarter that returns template context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring.models import Quarter

QUARTER = "quarter"
QUARTER_SETUP = "quarter_setup"

PagePart = Callable[[Quarter], dict[str, Any]]

# page → part's dotted name → part: registering the same function twice keeps one.
_parts: dict[str, dict[str, PagePart]] = {QUARTER: {}, QUARTER_SETUP: {}}


def register(page: str, part: PagePart) -> None:
    """Add `part(quarter)`'s context to every rendering of `page`."""
    _parts[page][f"{part.__module__}.{part.__qualname__}"] = part


def page_context(page: str, quarter: Quarter) -> dict[str, Any]:
    """The context every registered part of `page` adds for `quarter`."""
    context: dict[str, Any] = {}
    for part in _parts[page].values():
        context.update(part(quarter))
    return context
