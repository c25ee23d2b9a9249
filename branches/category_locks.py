"""Why a branch's category (the board it is ranked on) cannot change now.

The apps that know — scoring, while a quarter including the branch is being scored — register a
check in their AppConfig.ready(), so the organisation never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable

from branches.models import Branch

# (branch as stored, the category asked for) → the reason in Chinese, or None when it may change.
CategoryLock = Callable[[Branch, str], str | None]
CATEGORY_LOCKS: list[CategoryLock] = []


def category_lock_register(lock: CategoryLock) -> None:
    if lock not in CATEGORY_LOCKS:
        CATEGORY_LOCKS.append(lock)


def category_change_refusal(branch: Branch, new_category: str) -> str | None:
    """The first registered reason why `branch` cannot move to `new_category`, if any."""
    for lock in CATEGORY_LOCKS:
        if reason := lock(branch, new_category):
            return reason
    return None
