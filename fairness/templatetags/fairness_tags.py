"""Formatting for the severity report: ratios as percentages, differences in percentage points."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

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


@register.simple_tag
def figure_cell(f) -> str:
    """One cell of the groups × indicators table. A tag rather than template markup: with a hundred
    groups the table has thousands of cells, and one call per cell keeps the page's rendering
    within its budget."""
    if f is None:
        return format_html('<td class="num ">—</td>')
    difference = f.mean - f.others_mean
    tone = "text-blue" if difference < 0 else "text-red" if difference > 0 else ""
    tested = f" · p={pvalue(f.p_adjusted)}" if f.p is not None else f" · {gettext('样本不足')}"
    badge = format_html('<span class="badge bg-warning text-dark">{}</span>', gettext("差异明显")) if f.flagged else ""
    return format_html(
        '<td class="num {}"><div class="fw-semibold">{}</div><div class="small {}">{}</div>'
        '<div class="small text-muted">n={}/{}{}</div>{}</td>',
        "fair-cell-flagged" if f.flagged else "",
        pct(f.mean),
        tone,
        gettext("比其他组 %(d)s") % {"d": points(difference)},
        f.n,
        f.others_n,
        tested,
        badge,
    )
