"""Concurrent edits of one score sheet: when a save is refused as stale (someone else saved since
the editor opened the sheet), the editor's input is merged with what the others saved, and the
sheet shown again for the editor to check and save once more."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.http import QueryDict

from scoring.models import Problem, Score
from scoring.scores import canonical_score, same_score_text
from scoring.services.sheet_core import StaleSheet, canonical_methods

MERGED_FIELDS = ("score", "methods", "note")


def sheet_input_merge(
    *, post: QueryDict, stale: StaleSheet, scores: Mapping[int, Score], problems: Iterable[Problem]
) -> tuple[QueryDict, set[int]]:
    """The editor's input (`post`, the sheet form's data) merged with what others saved since
    (`stale.changes`; `scores` and `problems` as they are now): a field the editor left as it
    was takes the current value; a field both changed keeps the editor's input, and its
    indicator is returned among the conflicts. The form's version becomes the current one, and
    problems someone else removed meanwhile can no longer be removed. Returns (data, conflicts)."""
    data = post.copy()
    conflicts: set[int] = set()
    # The editor's own saves since (another tab) are merged like the others', but a field both changed
    # is a conflict only where someone else changed it: between one's own two saves the later wins.
    others = {c.indicator_id for c in stale.changes}
    first_old: dict[tuple[int | None, str], str] = {}
    for change in sorted([*stale.changes, *stale.own_changes], key=lambda c: (c.version, c.pk)):
        first_old.setdefault((change.indicator_id, change.field), change.old)
    for (indicator_id, field), old in first_old.items():
        if indicator_id is None or field not in MERGED_FIELDS:
            continue
        name = f"{field}_{indicator_id}"
        score = scores.get(indicator_id)
        if field == "methods":
            if canonical_methods(post.getlist(name)) == old:
                current = score.methods if score else ""
                data.setlist(name, [m for m in current.split(",") if m])
            elif indicator_id in others:
                conflicts.add(indicator_id)
            continue
        mine = post.get(name, "").strip()
        # The same score written differently ("９.５", "9.50") is the same input.
        if mine == old or (field == "score" and same_score_text(mine, old)):
            if score is None:
                data[name] = ""
            else:
                data[name] = canonical_score(score.value) if field == "score" else score.note
        elif indicator_id in others:
            conflicts.add(indicator_id)
    data["version"] = str(stale.current_version)
    current_problems = {str(p.pk) for p in problems}
    data.setlist("remove_problems", [pk for pk in post.getlist("remove_problems") if pk in current_problems])
    return data, conflicts
