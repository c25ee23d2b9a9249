"""Score sheets: saving drafts and submitting under optimistic locking, returning, history.

Both ways of saving scores — the sheet form (`sheet_save`) and the spreadsheet import
(`sheets_save_scores`) — go through the same core (scoring.services.sheet_core)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches.models import User
from branches.services import notice_send
from branches.text import strip_hidden
from scoring import scheme
from scoring.deductions import Rule, proposed_score, total_deduction
from scoring.models import DeductionItem, Indicator, Problem, Score, ScoreChange, ScoreSheet
from scoring.numbers import TENTH
from scoring.scores import canonical_score
from scoring.selectors import scheme_for_category
from scoring.services.sheet_core import (
    IncompleteSheet,
    OverrideNeedsNote,
    ProblemEntry,
    ScoreEntry,
    SheetChanges,
    apply_entries,
    check_quarter_scoring,
    check_sheet_writable,
)


@transaction.atomic
def sheet_save(
    *,
    sheet: ScoreSheet,
    actor: User,
    base_version: int,
    entries: dict[int, ScoreEntry],
    add_problems: Sequence[ProblemEntry | tuple] = (),
    remove_problems: Sequence[int] = (),
    submit: bool = False,
) -> int:
    """Save a sheet's scores, methods, notes and problems as one change, optionally submitting it.

    Refused without writing anything when the quarter is not scoring, the sheet is submitted, the
    editor's `base_version` is not the sheet's current version and someone else saved in between
    (the error lists what they changed; the editor's own saves since are no conflict), a value is out of range, or a submit finds indicators unscored.
    Every change becomes a ScoreChange row. Returns the number of changes recorded.
    """
    locked = ScoreSheet.objects.select_for_update().select_related("quarter", "branch").get(pk=sheet.pk)
    check_sheet_writable(locked, actor=actor, base_version=base_version, submit=submit)

    indicators = {i.pk: i for i in scheme_for_category(locked.quarter, locked.branch.category)}
    existing = {s.indicator_id: s for s in locked.scores.all()}
    changes = SheetChanges(locked, actor)
    record = changes.record

    to_create, to_update = apply_entries(locked, indicators, existing, entries, record)
    Score.objects.bulk_create(to_create)
    Score.objects.bulk_update(to_update, ["value", "methods", "note"])

    if remove_problems:
        problems = list(locked.problems.filter(pk__in=remove_problems))
        for problem in problems:
            record(problem.indicator_id, ScoreChange.Field.PROBLEM, problem.description, "")
        Problem.objects.filter(pk__in=[p.pk for p in problems]).delete()
    rules = {d.pk: d for d in DeductionItem.objects.filter(indicator__in=indicators).select_related("indicator")}
    for entry in add_problems:
        entry = entry if isinstance(entry, ProblemEntry) else ProblemEntry(*entry)
        if entry.indicator_id not in indicators:
            raise ValidationError(_("问题对应的指标不属于该党组织的考核指标体系。"))
        description = strip_hidden(entry.description).strip()
        if not description:
            raise ValidationError(_("请填写问题描述。"))
        deduction = rules.get(entry.deduction_id) if entry.deduction_id is not None else None
        if entry.deduction_id is not None and (deduction is None or deduction.indicator_id != entry.indicator_id):
            raise ValidationError(_("扣分标准不属于问题对应的指标。"))
        if not 1 <= entry.count <= 99:
            raise ValidationError(_("处数应在 1 到 99 之间。"))
        count = entry.count if deduction is not None and deduction.per_occurrence else 1
        Problem.objects.create(
            sheet=locked,
            indicator_id=entry.indicator_id,
            description=description,
            deduction=deduction,
            count=count,
            created_by=actor,
        )
        recorded = description
        if deduction is not None:
            recorded += _("（扣分标准：%(rule)s%(times)s）") % {
                "rule": deduction.rule_text,
                "times": _("，%(n)s 处") % {"n": count} if deduction.per_occurrence else "",
            }
        record(entry.indicator_id, ScoreChange.Field.PROBLEM, "", recorded)

    _check_overrides(locked, indicators, rules, entries)

    if submit:
        scored = set(
            Score.objects.filter(sheet=locked, indicator__in=indicators, value__isnull=False).values_list(
                "indicator_id", flat=True
            )
        )
        missing = [i for pk, i in indicators.items() if pk not in scored]
        if missing:
            raise IncompleteSheet(
                _("还有 %(n)s 项指标未评分（%(names)s），不能提交。您可以先保存草稿。")
                % {"n": len(missing), "names": "、".join(i.name for i in missing)},
                missing=missing,
            )
        record(
            None, ScoreChange.Field.SUBMIT, str(ScoreSheet.Status.DRAFT.label), str(ScoreSheet.Status.SUBMITTED.label)
        )
        locked.status = ScoreSheet.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.return_reason = ""
    if changes:
        locked.version = changes.version
        locked.save()
        ScoreChange.objects.bulk_create(changes.rows)
        changes.audit(submit=submit)
    return len(changes)


def sheet_proposals(sheet: ScoreSheet, indicators: dict[int, Indicator], rules: dict[int, DeductionItem]) -> dict:
    """indicator id → (deduction, proposed score) for the indicators of the sheet that have
    problems recorded against their deduction items. One query."""
    found: dict[int, list[tuple[int, int]]] = {}
    for indicator_id, deduction_id, count in Problem.objects.filter(sheet=sheet, deduction__isnull=False).values_list(
        "indicator_id", "deduction_id", "count"
    ):
        found.setdefault(indicator_id, []).append((deduction_id, count))
    plain = {pk: Rule(points=d.points, per_occurrence=d.per_occurrence, cap=d.cap) for pk, d in rules.items()}
    out = {}
    for indicator_id, items in found.items():
        if indicator_id in indicators:
            deducted = total_deduction(plain, items)
            out[indicator_id] = (deducted, proposed_score(indicators[indicator_id].max_score, deducted))
    return out


def _check_overrides(sheet, indicators, rules, entries) -> None:
    """Server-side rule of scoring by deduction: a score that differs from its indicator's proposed
    score (maximum − deductions) must carry a note saying why."""
    proposals = sheet_proposals(sheet, indicators, rules)
    if not proposals:
        return
    scores = {s.indicator_id: s for s in Score.objects.filter(sheet=sheet, indicator_id__in=proposals)}
    wrong: dict[int, Decimal] = {}
    for indicator_id, (_deducted, proposed) in proposals.items():
        entry = entries.get(indicator_id)
        score = scores.get(indicator_id)
        value = entry.value if entry is not None else (score.value if score else None)
        note = entry.note if entry is not None else (score.note if score else "")
        if value is not None and value.quantize(TENTH) != proposed.quantize(TENTH) and not note.strip():
            wrong[indicator_id] = proposed
    if wrong:
        raise OverrideNeedsNote(
            _(
                "%(names)s的得分与按扣分标准计算的建议得分不同：请采用建议得分，或在备注中说明理由。本次没有保存任何内容。"
            )
            % {
                "names": "、".join(
                    _("“%(name)s”（建议 %(proposed)s 分）")
                    % {"name": indicators[pk].name, "proposed": canonical_score(proposed)}
                    for pk in wrong
                )
            },
            proposals=wrong,
        )


@transaction.atomic
def sheets_save_scores(
    *, quarter, actor: User, entries: dict[int, dict[int, ScoreEntry]], base_versions: dict[int, int]
) -> dict[int, int]:
    """sheet_save for many sheets of one quarter at once (a spreadsheet import): scores only, each
    sheet based on the version in `base_versions` (a sheet saved since is refused as stale). The same checks and the same history (a ScoreChange per
    change, the version raised, an audit record per changed sheet) in a fixed number of queries
    plus one audit insert per changed sheet, instead of some ten queries per sheet.

    `entries` maps sheet id → indicator id → entry. Refused as a whole, writing nothing, on the
    first sheet that cannot be written: the error's `sheet_id` names it. Returns sheet id → the
    number of changes recorded."""
    sheets = list(
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("quarter", "branch")
        .filter(quarter=quarter, pk__in=entries)
        .order_by("pk")  # one lock order for everyone: no deadlocks between concurrent imports
    )
    schemes: dict[str, dict[int, Indicator]] = {}
    for indicator in Indicator.objects.filter(quarter=quarter).order_by(*scheme.SCHEME_ORDER):
        schemes.setdefault(indicator.category, {})[indicator.pk] = indicator
    existing: dict[int, dict[int, Score]] = {}
    for score in Score.objects.filter(sheet__in=sheets):
        existing.setdefault(score.sheet_id, {})[score.indicator_id] = score
    to_create: list[Score] = []
    to_update: list[Score] = []
    logs: list[SheetChanges] = []
    for sheet in sheets:
        try:
            check_sheet_writable(sheet, actor=actor, base_version=base_versions[sheet.pk], own_saves_conflict=True)
            log = SheetChanges(sheet, actor)
            created, updated = apply_entries(
                sheet,
                scheme.merge(schemes, sheet.branch.category),
                existing.get(sheet.pk, {}),
                entries[sheet.pk],
                log.record,
            )
        except ValidationError as error:
            setattr(error, "sheet_id", sheet.pk)  # noqa: B010 - which sheet of the file was refused
            raise
        to_create += created
        to_update += updated
        if log:
            logs.append(log)
            sheet.version = log.version
    Score.objects.bulk_create(to_create, batch_size=5000)
    Score.objects.bulk_update(to_update, ["value", "methods", "note"], batch_size=2000)
    ScoreChange.objects.bulk_create((row for log in logs for row in log.rows), batch_size=5000)
    now = timezone.now()
    raised = [log.sheet for log in logs]
    for sheet in raised:
        sheet.updated_at = now
    ScoreSheet.objects.bulk_update(raised, ["version", "updated_at"], batch_size=2000)
    for log in logs:
        log.audit()
    changed = {sheet.pk: 0 for sheet in sheets}
    changed.update({log.sheet.pk: len(log) for log in logs})
    return changed


@transaction.atomic
def sheets_submit(*, quarter, actor: User, sheet_ids) -> tuple[list[ScoreSheet], list[ScoreSheet]]:
    """Submit, at once, every sheet of `sheet_ids` whose indicators are all scored (a score import
    the importer asked to submit): the same ScoreChange, version and audit record as a submit from
    the sheet form. Sheets already submitted are left alone; incomplete ones stay drafts. Returns
    (submitted, incomplete), each in branch name order."""
    sheets = list(
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("quarter", "branch")
        .filter(quarter=quarter, pk__in=list(sheet_ids))
        .exclude(status=ScoreSheet.Status.SUBMITTED)
        .order_by("pk")
    )
    for sheet in sheets:
        check_quarter_scoring(sheet)
    required: dict[str, dict[int, None]] = {}
    for indicator_id, category in Indicator.objects.filter(quarter=quarter).values_list("id", "category"):
        required.setdefault(category, {})[indicator_id] = None
    scored: dict[int, set[int]] = {}
    for sheet_id, indicator_id in Score.objects.filter(sheet__in=sheets, value__isnull=False).values_list(
        "sheet_id", "indicator_id"
    ):
        scored.setdefault(sheet_id, set()).add(indicator_id)
    now = timezone.now()
    submitted: list[ScoreSheet] = []
    incomplete: list[ScoreSheet] = []
    for sheet in sheets:
        needed = scheme.merge(required, sheet.branch.category).keys()
        (submitted if needed <= scored.get(sheet.pk, set()) else incomplete).append(sheet)
    for sheet in submitted:
        sheet.status = ScoreSheet.Status.SUBMITTED
        sheet.submitted_at = now
        sheet.submitted_by = actor
        sheet.return_reason = ""
        sheet.version += 1
        sheet.updated_at = now
    ScoreSheet.objects.bulk_update(
        submitted, ["status", "submitted_at", "submitted_by", "return_reason", "version", "updated_at"], batch_size=2000
    )
    ScoreChange.objects.bulk_create(
        (
            ScoreChange(
                sheet=sheet,
                field=ScoreChange.Field.SUBMIT,
                old=str(ScoreSheet.Status.DRAFT.label),
                new=str(ScoreSheet.Status.SUBMITTED.label),
                user=actor,
                version=sheet.version,
            )
            for sheet in submitted
        ),
        batch_size=5000,
    )
    for sheet in submitted:
        audit_record(user=actor, action="sheet_submit", target=sheet, detail={"版本": sheet.version, "方式": "导入"})

    def by_name(s: ScoreSheet) -> str:
        return s.branch.name

    return sorted(submitted, key=by_name), sorted(incomplete, key=by_name)


@transaction.atomic
def sheet_return(*, sheet: ScoreSheet, actor: User, reason: str) -> ScoreSheet:
    """党建部 returns a submitted sheet to its group, with the reason; the group may edit it again."""
    locked = (
        ScoreSheet.objects.select_for_update(of=("self",)).select_related("quarter", "branch", "group").get(pk=sheet.pk)
    )
    check_quarter_scoring(locked)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    if not locked.is_submitted:
        raise ValidationError(_("该评分表尚未提交，无需退回。"))
    locked.status = ScoreSheet.Status.DRAFT
    locked.return_reason = reason
    locked.version += 1
    locked.save()
    ScoreChange.objects.create(
        sheet=locked, field=ScoreChange.Field.RETURN, old="", new=reason, user=actor, version=locked.version
    )
    audit_record(user=actor, action="sheet_return", target=locked, detail={"原因": reason})
    if locked.group is not None:
        message = _("党建部退回了“%(branch)s”的评分表：%(reason)s") % {"branch": locked.branch.name, "reason": reason}
        url = reverse("scoring:sheet", args=[locked.pk])
        for user_id in locked.group.members.values_list("pk", flat=True):
            notice_send(user_id=user_id, message=message, url=url)
    return locked
