"""Helpers shared by the board's tests (imported, not fixtures)."""

from __future__ import annotations

from boards import followups


def broken_follow_up(*, quarter):
    raise RuntimeError("boom")


BROKEN = followups.FollowUpJob(name="tests.boards.helpers.broken_follow_up", label="boom", run=broken_follow_up)


def follow_ups_registered(monkeypatch, *jobs: followups.FollowUpJob) -> None:
    """Make publication write exactly `jobs` (for this test): the registry as if only they were registered."""
    monkeypatch.setattr(followups, "_jobs", {job.name: job for job in jobs})
