"""Pages for interviews and rectification: parse, check access, call a service, render or redirect.

- `lists`: the list, the overview, the secretary's shortcut;
- `interview`: one interview (schedule, minutes, items added);
- `items`: one rectification item (answer, progress, accept, return);
- `evidence`: evidence upload, removal and download;
- `look_backs`: look-back (回头看).
"""

from __future__ import annotations

from interviews.views.evidence import evidence_add, evidence_download, evidence_remove
from interviews.views.interview import interview_detail, interview_minutes, interview_schedule, item_add
from interviews.views.items import item_accept, item_answer, item_detail, item_progress, item_return
from interviews.views.lists import interview_list, my_checklist, overview
from interviews.views.look_backs import look_back_add, look_back_detail, look_back_record

__all__ = [
    "evidence_add",
    "evidence_download",
    "evidence_remove",
    "interview_detail",
    "interview_list",
    "interview_minutes",
    "interview_schedule",
    "item_accept",
    "item_add",
    "item_answer",
    "item_detail",
    "item_progress",
    "item_return",
    "look_back_add",
    "look_back_detail",
    "look_back_record",
    "my_checklist",
    "overview",
]
