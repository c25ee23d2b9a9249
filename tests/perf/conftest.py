"""The perf tests reuse the inspection world of tests/scoring and the board helpers of tests/boards."""

from __future__ import annotations

from tests.scoring.conftest import world  # noqa: F401  (a fixture, used by name)
