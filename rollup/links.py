"""Where a roll-up row leads: the unit's published board (drill-down) and its own roll-up."""

from __future__ import annotations

from django.urls import reverse


def board_url(unit_id: int, code: str) -> str:
    """The published board of one unit's quarter."""
    return reverse("boards:board", args=[code]) + f"?unit={unit_id}"


def rollup_url(unit_id: int, code: str | None = None) -> str:
    if code:
        return reverse("rollup:page", args=[unit_id, code])
    return reverse("rollup:unit", args=[unit_id])
