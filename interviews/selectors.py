"""Reads for interviews and rectification."""

from __future__ import annotations

from branches.selectors import HomeCard


def home_cards(user) -> list[HomeCard]:
    return []
