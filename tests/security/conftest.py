"""Fixtures borrowed from the apps' own test folders: the small scoring world."""

from __future__ import annotations

from tests.scoring.conftest import world  # noqa: F401
