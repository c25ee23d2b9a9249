"""The core both ways of saving scores share — the sheet form (`sheets.sheet_save`) and the
spreadsheet import (`sheets.sheets_save_scores`): what makes a sheet writable, the refusals and
their messages, how entries are checked against the scheme and turned into the sheet's history."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from branches.models import User
from branches.text import strip_hidden
from scoring.models import Indicator, Method, Score, ScoreChange, ScoreSheet
from scoring.numbers import TENTH
from scoring.scores import canonical_score, score_error

ALREADY_SUBMITTED = gettext_lazy("该评分表已经提交，无需重复提交。")
READ_ONLY = gettext_lazy("该评分表已提交，处于只读状态；如需修改，请联系党建部退回。")


@dataclass(frozen=True)
class ScoreEntry:
    """What the form says about one indicator: value (None = not scored), method codes, note."""

    value: Decimal | None
    methods: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ProblemEntry:
    """A problem to record: its indicator, description and, scored by deduction, the deduction
    item (扣分标准) it falls under and how many were found."""

    indicator_id: int
    description: str
    deduction_id: int | None = None
    count: int = 1


class OverrideNeedsNote(ValidationError):
    """A score that departs from the proposal of its deduction items without a note saying why.
    `proposals` maps each indicator concerned to its proposed score."""

    def __init__(self, message: str, *, proposals: dict[int, Decimal]):
        super().__init__(message)
        self.proposals = proposals


class SheetLocked(ValidationError):
    """The sheet cannot be written now (quarter not scoring, or already submitted)."""


class AlreadySubmitted(SheetLocked):
    pass


class StaleSheet(ValidationError):
    """The sheet changed since the editor loaded it; `changes` lists what others changed (everything,
    where the editor's own saves count too), `own_changes` what the editor saved since elsewhere."""

    def __init__(
        self,
        message: str,
        *,
        sheet_id: int,
        changes: list[ScoreChange],
        current_version: int,
        own_changes: list[ScoreChange] | None = None,
    ):
        super().__init__(message)
        self.sheet_id = sheet_id
        self.changes = changes
        self.own_changes = own_changes or []
        self.current_version = current_version
        self.conflicts: set[int] = set()  # indicators both editors changed, filled in by the page


class OwnSavesSince(StaleSheet):
    """Only the editor's own saves came since the page was opened (another tab or device, or a save
    whose answer never reached the browser, restored from the local draft): nothing of anyone else's
    to protect, so no warning — but the page merges its input with them (services.merge) and saves
    again, so a field this page left as it was does not undo what the editor saved elsewhere."""


class IncompleteSheet(ValidationError):
    def __init__(self, message: str, *, missing: list[Indicator]):
        super().__init__(message)
        self.missing = missing


def canonical_methods(codes) -> str:
    chosen = set(codes)
    return ",".join(m for m in Method.values if m in chosen)


def changes_since(sheet: ScoreSheet, version: int) -> list[ScoreChange]:
    return list(
        ScoreChange.objects.filter(sheet=sheet, version__gt=version)
        .select_related("indicator", "user")
        .order_by("version", "id")
    )


def check_quarter_scoring(sheet: ScoreSheet) -> None:
    """Scores are written only while the sheet's quarter is 评分中."""
    if not sheet.quarter.is_scoring:
        raise SheetLocked(
            _("季度 %(code)s 当前为“%(status)s”，只有“评分中”才能录入评分。")
            % {"code": sheet.quarter.code, "status": sheet.quarter.get_status_display()}
        )


def check_not_submitted(sheet: ScoreSheet, *, submit: bool = False) -> None:
    """A submitted sheet is read-only; submitting it again is no error, only needless."""
    if sheet.is_submitted:
        raise AlreadySubmitted(str(ALREADY_SUBMITTED)) if submit else SheetLocked(str(READ_ONLY))


def check_sheet_writable(
    sheet: ScoreSheet, *, actor: User, base_version: int, submit: bool = False, own_saves_conflict: bool = False
) -> None:
    """Refuse, writing nothing, unless the quarter is scoring, the sheet is a draft and the editor's
    `base_version` is the sheet's current one. A save based on an older version is stale when
    anyone saved since — or, with `own_saves_conflict` false (the sheet form), only when someone
    else did: the editor's own saves since (on another device, or a save whose answer never
    reached the browser, then restored from the local draft) raise OwnSavesSince, which the page
    merges and saves again without a warning."""
    check_quarter_scoring(sheet)
    check_not_submitted(sheet, submit=submit)
    if sheet.version == base_version:
        return
    changes = changes_since(sheet, base_version)
    own: list[ScoreChange] = []
    if not own_saves_conflict:
        own = [c for c in changes if c.user_id == actor.pk]
        changes = [c for c in changes if c.user_id != actor.pk]
        if not changes:
            raise OwnSavesSince("", sheet_id=sheet.pk, changes=[], current_version=sheet.version, own_changes=own)
    raise StaleSheet(
        _("保存未生效：在您打开之后，评分表已被他人修改（第 %(old)s 版 → 第 %(new)s 版）。")
        % {"old": base_version, "new": sheet.version},
        sheet_id=sheet.pk,
        changes=changes,
        current_version=sheet.version,
        own_changes=own,
    )


class SheetChanges:
    """The history rows (ScoreChange) one save of one sheet produces, all at its next version."""

    def __init__(self, sheet: ScoreSheet, actor: User):
        self.sheet = sheet
        self.actor = actor
        self.version = sheet.version + 1
        self.rows: list[ScoreChange] = []

    def __len__(self) -> int:
        return len(self.rows)

    def record(self, indicator_id: int | None, field: str, old: str, new: str) -> None:
        self.rows.append(
            ScoreChange(
                sheet=self.sheet,
                indicator_id=indicator_id,
                field=field,
                old=old,
                new=new,
                user=self.actor,
                version=self.version,
            )
        )

    def audit(self, *, submit: bool = False) -> None:
        """The audit record of the save (one per changed sheet)."""
        audit_record(
            user=self.actor,
            action="sheet_submit" if submit else "score_change",
            target=self.sheet,
            detail={"版本": self.version, "变更项": len(self.rows)},
        )


def apply_entries(
    sheet: ScoreSheet,
    indicators: Mapping[int, Indicator],
    existing: Mapping[int, Score],
    entries: Mapping[int, ScoreEntry],
    record: Callable[[int | None, str, str, str], None],
) -> tuple[list[Score], list[Score]]:
    """Check each entry against the sheet's scheme and record what it changes (through `record`).
    Returns the scores to create and those to update; writes nothing."""
    to_create: list[Score] = []
    to_update: list[Score] = []
    for indicator_id, entry in entries.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise ValidationError(_("指标不属于该党组织的考核指标体系。"))
        if entry.value is not None and (error := score_error(entry.value, indicator.max_score)):
            raise ValidationError({f"score_{indicator_id}": error})
        bad_methods = set(entry.methods) - set(Method.values)
        if bad_methods:
            raise ValidationError(_("检查方式无效。"))
        score = existing.get(indicator_id) or Score(sheet=sheet, indicator=indicator)
        before = (canonical_score(score.value), score.methods, score.note)
        after = (canonical_score(entry.value), canonical_methods(entry.methods), strip_hidden(entry.note).strip())
        if before == after:
            continue
        for field, old, new in zip(
            (ScoreChange.Field.SCORE, ScoreChange.Field.METHODS, ScoreChange.Field.NOTE), before, after, strict=True
        ):
            if old != new:
                record(indicator_id, field, old, new)
        score.value = entry.value.quantize(TENTH) if entry.value is not None else None
        score.methods, score.note = after[1], after[2]
        (to_update if score.pk else to_create).append(score)
    return to_create, to_update
