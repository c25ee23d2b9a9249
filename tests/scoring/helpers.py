"""Helpers for the score sheet tests: the POST body of a sheet, and a full set of values."""

from __future__ import annotations


def sheet_post(sheet, indicators, *, values=None, version=None, action="save", methods=None, notes=None, **extra):
    """The POST body of a score sheet: `values` maps indicator code → text typed in the score box."""
    values = values or {}
    data = {
        "version": sheet.version if version is None else version,
        "action": action,
        "problem-TOTAL_FORMS": "0",
        "problem-INITIAL_FORMS": "0",
        "problem-MIN_NUM_FORMS": "0",
        "problem-MAX_NUM_FORMS": "200",
    }
    for indicator in indicators:
        data[f"score_{indicator.pk}"] = values.get(indicator.code, "")
        data[f"note_{indicator.pk}"] = (notes or {}).get(indicator.code, "")
        if methods and indicator.code in methods:
            data[f"methods_{indicator.pk}"] = methods[indicator.code]
    data.update(extra)
    return data


def full_values(indicators, fraction="0.9"):
    from decimal import Decimal

    return {i.code: str((i.max_score * Decimal(fraction)).quantize(Decimal("0.1"))) for i in indicators}
