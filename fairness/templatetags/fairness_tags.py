"""Formatting for the severity report: ratios as percentages, differences in percentage points."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.8834 → "88.3%"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def points(value) -> str:
    """A difference of ratios in percentage points, signed: −0.045 → "−4.5"."""
    if value is None:
        return "—"
    shown = f"{abs(value) * 100:.1f}"
    if shown == "0.0":
        return "0.0"
    return ("+" if value > 0 else "−") + shown


@register.filter
def points_abs(value) -> str:
    """The size of a difference in percentage points, unsigned: −0.033 → "3.3"."""
    return "—" if value is None else f"{abs(value) * 100:.1f}"


@register.filter
def pvalue(value) -> str:
    if value is None:
        return "—"
    if value < 0.001:
        return "<0.001"
    return f"{value:.3f}"


@register.filter
def zscore(value) -> str:
    return f"{value:+.1f}".replace("-", "−")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
