"""What other apps freeze with a publication: functions run inside `quarter_publish`'s transaction,
after the board's own snapshot is stored, so they see the board as published and commit or roll
back with it. Apps above boards register theirs in their `AppConfig.ready()` (the roll-up keeps
each published board's summary, with the name its unit had when it was published). Work that may
wait or fail on its own belongs to the follow-ups (boards.followups), not here."""

from __future__ import annotations

from collections.abc import Callable

from scoring.models import Quarter

PublicationPart = Callable[[Quarter], None]

_PARTS: dict[str, PublicationPart] = {}


def register(name: str, part: PublicationPart) -> None:
    """Run `part(quarter)` in every publication's transaction; registering a name again replaces it."""
    _PARTS[name] = part


def parts_run(quarter: Quarter) -> None:
    for part in _PARTS.values():
        part(quarter)
