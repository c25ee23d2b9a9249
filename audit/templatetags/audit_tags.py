from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def minutes(delta: datetime.timedelta | None) -> int:
    """Whole minutes of a timedelta, rounded up (the lockout page's cool-off)."""
    if not delta:
        return 0
    return -(-int(delta.total_seconds()) // 60)
