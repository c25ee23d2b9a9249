"""Writes for interviews and rectification. Views, tasks and the board's publication call these.

- `publication`: the interviews and checklists publication leaves (a follow-up of boards);
- `interviews`: schedule and minutes;
- `items`: the items' status machine;
- `evidence`: evidence files;
- `look_backs`: look-back (回头看);
- `reminders`: the daily reminders (mail after commit).
"""

from __future__ import annotations

from interviews.services.evidence import evidence_add, evidence_orphans_remove, evidence_remove
from interviews.services.interviews import interview_record_minutes, interview_schedule
from interviews.services.items import (
    EvidenceMissing,
    TransitionRefused,
    item_accept,
    item_add,
    item_answer,
    item_report_progress,
    item_return,
    item_transition,
)
from interviews.services.look_backs import look_back_record, look_back_schedule
from interviews.services.publication import default_interviewer, interviews_create_for_quarter
from interviews.services.reminders import reminders_send

__all__ = [
    "EvidenceMissing",
    "TransitionRefused",
    "default_interviewer",
    "evidence_add",
    "evidence_orphans_remove",
    "evidence_remove",
    "interview_record_minutes",
    "interview_schedule",
    "interviews_create_for_quarter",
    "item_accept",
    "item_add",
    "item_answer",
    "item_report_progress",
    "item_return",
    "item_transition",
    "look_back_record",
    "look_back_schedule",
    "reminders_send",
]
