"""The offline score template filled in (a sheet per category, a row per branch, a column per
indicator): read whole and checked first, every problem listed; only a clean file reaches the
write, in one transaction, through scoring's own sheet-save core."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Branch, Category
from reports.exports import TEMPLATE_MAX_LABEL, TEMPLATE_NAME_HEADER, sheet_name, template_schemes
from reports.imports.sheets import (
    ImportIssue,
    ImportRejected,
    cell_text,
    column_name,
    formula_message,
    is_blank,
    is_formula,
    merged_cells_message,
    rejected_file,
)
from reports.safety import UnsafeWorkbook, iter_rows, open_workbook, sheet_has_merged_cells
from scoring.models import InspectionGroup, Quarter, Score, ScoreSheet
from scoring.scores import INVALID, parse_score, score_error
from scoring.services import ScoreEntry, sheets_save_scores, sheets_submit


@dataclass
class ScoreImportResult:
    sheets: int = 0  # branches whose sheet received values
    values: int = 0  # cells read
    changes: int = 0  # values that differed from what was stored
    by_branch: dict[str, int] = field(default_factory=dict)
    submitted: list[str] = field(default_factory=list)  # branches whose sheet the import submitted
    drafts: list[str] = field(default_factory=list)  # branches whose sheet stays a draft
    unchanged: list[str] = field(default_factory=list)  # already submitted, the file holds the same


def score_import_summary(result: ScoreImportResult, *, submit: bool, shown: int = 20) -> str:
    """The result in one Chinese paragraph, naming the sheets submitted and those left as drafts."""

    def names(items: list[str]) -> str:
        text = "、".join(items[:shown])
        return text + (_("等") if len(items) > shown else "")

    parts = [
        _("导入成功：%(sheets)s 个党组织、%(values)s 项得分，其中 %(changes)s 项有变化。")
        % {"sheets": result.sheets, "values": result.values, "changes": result.changes}
    ]
    if submit:
        if result.submitted:
            parts.append(
                _("已提交 %(n)s 张评分表：%(names)s。") % {"n": len(result.submitted), "names": names(result.submitted)}
            )
        if result.drafts:
            parts.append(
                _("%(n)s 张评分表尚有指标未评分，仍为草稿，未计入红蓝榜：%(names)s。")
                % {"n": len(result.drafts), "names": names(result.drafts)}
            )
    elif result.drafts:
        parts.append(
            _("导入的 %(n)s 张评分表为草稿，提交后才计入红蓝榜：%(names)s。")
            % {"n": len(result.drafts), "names": names(result.drafts)}
        )
    if result.unchanged:
        parts.append(
            _("%(n)s 张评分表已提交，文件中的得分与之相同，未作改动：%(names)s。")
            % {"n": len(result.unchanged), "names": names(result.unchanged)}
        )
    return "".join(parts)


def parse_score_cell(cell, maximum: Decimal) -> tuple[Decimal | None, str | None]:
    """(value, None), or (None, why) — the same rules as the browser's score form."""
    if is_formula(cell):
        return None, formula_message()
    value = cell.value
    if value is None:
        return None, None
    if isinstance(value, bool) or getattr(cell, "data_type", "n") in ("b", "d", "e"):
        return None, _("请输入数字，例如 8 或 8.5。")
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        # Typed text goes through the one score parser (scoring.scores), as the browser form's does,
        # so a cell and a typed score read alike: full-width digits and "。" accepted; exponents,
        # NaN and separators refused.
        try:
            number = parse_score(str(value), maximum)
        except ValidationError as exc:
            if exc.code != INVALID:
                return None, exc.messages[0]
            text = str(value).strip()
            return None, _("“%(text)s”不是数字，请输入数字，例如 8 或 8.5。") % {"text": text[:20]}
        if number is None:
            return None, None
    error = score_error(number, maximum)
    return (None, error) if error else (number, None)


def _check_quarter(quarter: Quarter) -> None:
    if not quarter.is_scoring:
        raise rejected_file(
            _("季度 %(code)s 当前为“%(status)s”，只有“评分中”才能导入评分。")
            % {"code": quarter.code, "status": quarter.get_status_display()}
        )


def scores_read(*, quarter: Quarter, group: InspectionGroup | None, source: IO[bytes]) -> dict[int, dict[int, Decimal]]:
    """Parse and validate a filled template: branch id → {indicator id → value}. Raises
    ImportRejected listing every problem. Reads the database, writes nothing."""
    _check_quarter(quarter)
    expected = {sheet_name(c): c for c in Category.values}
    schemes = template_schemes(quarter)
    branches = {b.name: b for b in Branch.objects.for_quarter(quarter)}
    assigned: set[int] | None = None
    if group is not None:
        assigned = set(ScoreSheet.objects.filter(quarter=quarter, group=group).values_list("branch_id", flat=True))
    issues: list[ImportIssue] = []
    values: dict[int, dict[int, Decimal]] = {}
    seen: dict[int, tuple[str, int]] = {}

    try:
        with open_workbook(source) as wb:
            titles = list(wb.sheetnames)
            unknown = [t for t in titles if t not in expected]
            for title in unknown:
                issues.append(
                    ImportIssue(
                        title,
                        None,
                        "",
                        _("工作表名称不正确，应为 %(names)s 之一（请使用下载的评分模板）。")
                        % {"names": "、".join(expected)},
                    )
                )
            if not any(t in expected for t in titles):
                raise ImportRejected(issues or [ImportIssue("", None, "", _("文件中没有评分工作表。"))])
            for title in titles:
                if title not in expected:
                    continue
                ws = wb[title]
                if sheet_has_merged_cells(source, ws._worksheet_path):
                    issues.append(ImportIssue(title, None, "", merged_cells_message()))
                    continue
                _read_score_sheet(
                    ws,
                    title,
                    schemes[expected[title]],
                    expected[title],
                    branches,
                    assigned,
                    group,
                    issues,
                    values,
                    seen,
                )
    except UnsafeWorkbook as exc:
        raise rejected_file(str(exc)) from exc
    if issues:
        raise ImportRejected(issues)
    return values


def _read_score_sheet(ws, title, indicators, category, branches, assigned, group, issues, values, seen) -> None:
    headers = [TEMPLATE_NAME_HEADER, *[i.name for i in indicators]]
    rows = iter_rows(ws)
    header_row = next(rows, (1, ()))[1]
    found = [cell_text(c.value) for c in header_row]
    while found and not found[-1]:
        found.pop()
    if found != headers:
        issues.append(
            ImportIssue(
                title,
                1,
                "",
                _("表头与本季度的考核指标不一致，应为：%(expected)s。请重新下载评分模板。")
                % {"expected": "、".join(headers)},
            )
        )
        return
    max_row = next(rows, (2, ()))[1]
    if not max_row or cell_text(max_row[0].value) != TEMPLATE_MAX_LABEL:
        issues.append(ImportIssue(title, 2, column_name(1), _("第 2 行应为“满分”行，请使用下载的评分模板。")))
        return
    for index, indicator in enumerate(indicators, start=2):
        cell = max_row[index - 1] if len(max_row) >= index else None
        stated = cell.value if cell is not None else None
        try:
            same = stated is not None and not is_formula(cell) and Decimal(str(stated)) == indicator.max_score
        except InvalidOperation:
            same = False
        if not same:
            issues.append(
                ImportIssue(
                    title,
                    2,
                    column_name(index, indicator.name),
                    _("满分应为 %(max)s，与本季度的考核指标不一致。") % {"max": indicator.max_score},
                )
            )
    width = len(indicators) + 1
    for number, cells in rows:
        if is_blank(cells):
            continue
        for index, cell in enumerate(cells[width:], start=width + 1):
            if cell.value is not None and cell_text(cell.value):
                issues.append(ImportIssue(title, number, column_name(index), _("多余的内容：模板中没有这一列。")))
        name_cell = cells[0] if cells else None
        name = cell_text(name_cell.value) if name_cell is not None else ""
        if name_cell is not None and is_formula(name_cell):
            issues.append(ImportIssue(title, number, column_name(1, TEMPLATE_NAME_HEADER), formula_message()))
            continue
        if not name:
            issues.append(
                ImportIssue(title, number, column_name(1, TEMPLATE_NAME_HEADER), _("已填写得分，但没有组织名称。"))
            )
            continue
        branch = branches.get(name)
        if branch is None:
            issues.append(
                ImportIssue(
                    title, number, column_name(1, TEMPLATE_NAME_HEADER), _("党组织“%(name)s”不存在。") % {"name": name}
                )
            )
            continue
        if branch.category != category:
            issues.append(
                ImportIssue(
                    title,
                    number,
                    column_name(1, TEMPLATE_NAME_HEADER),
                    _("“%(name)s”属于%(category)s，不能填在本工作表。")
                    % {"name": name, "category": sheet_name(branch.category)},
                )
            )
            continue
        if assigned is not None and branch.pk not in assigned:
            issues.append(
                ImportIssue(
                    title,
                    number,
                    column_name(1, TEMPLATE_NAME_HEADER),
                    _("“%(name)s”未分配给%(group)s。") % {"name": name, "group": group.name},
                )
            )
            continue
        if branch.pk in seen:
            issues.append(
                ImportIssue(
                    title,
                    number,
                    column_name(1, TEMPLATE_NAME_HEADER),
                    _("“%(name)s”重复出现（已在工作表“%(sheet)s”第 %(row)s 行）。")
                    % {"name": name, "sheet": seen[branch.pk][0], "row": seen[branch.pk][1]},
                )
            )
            continue
        seen[branch.pk] = (title, number)
        row_values: dict[int, Decimal] = {}
        for index, indicator in enumerate(indicators, start=2):
            if len(cells) < index:
                break
            value, error = parse_score_cell(cells[index - 1], indicator.max_score)
            if error:
                issues.append(ImportIssue(title, number, column_name(index, indicator.name), error))
            elif value is not None:
                row_values[indicator.pk] = value
        values[branch.pk] = row_values


def scores_import(
    *, quarter: Quarter, group: InspectionGroup | None, source: IO[bytes], user=None, submit: bool = False
) -> ScoreImportResult:
    """Import a filled score template. Without a group the scores are 党建部's own (a sheet with
    no group, created as needed). Filled cells replace what is stored; empty cells change nothing.
    Every value goes through sheet_save's own checks and history (scoring.services.sheets_save_scores,
    all sheets at once), as the browser form's do, so history, versions and the same rules apply.
    Any problem rejects the whole file and writes nothing.

    An import is a submission only when asked (`submit`): then every sheet the file leaves with all
    its indicators scored is submitted, the others stay drafts (named in the result). A row that
    holds exactly what a submitted sheet already holds is no change and no error."""
    # The file is read before the transaction opens: parsing may take seconds, locks should not.
    values = scores_read(quarter=quarter, group=group, source=source)
    values = {branch_id: row for branch_id, row in values.items() if row}
    if not values:
        raise rejected_file(_("文件中没有填写任何得分。"))
    return _scores_write(quarter=quarter, group=group, values=values, user=user, submit=submit)


@transaction.atomic
def _scores_write(
    *, quarter: Quarter, group: InspectionGroup | None, values: dict, user, submit: bool
) -> ScoreImportResult:
    result = ScoreImportResult()
    _check_quarter(Quarter.objects.select_for_update().get(pk=quarter.pk))
    branch_names = dict(Branch.objects.filter(pk__in=values).values_list("pk", "name"))
    if group is None:
        existing = {s.branch_id for s in ScoreSheet.objects.filter(quarter=quarter, group=None, branch_id__in=values)}
        # ignore_conflicts: a concurrent import creating the same sheet is not an error.
        ScoreSheet.objects.bulk_create(
            [ScoreSheet(quarter=quarter, branch_id=b, group=None) for b in values if b not in existing],
            ignore_conflicts=True,
        )
    sheets = {
        s.branch_id: s
        for s in ScoreSheet.objects.filter(quarter=quarter, group=group, branch_id__in=values).select_related(
            "quarter", "branch"
        )
    }
    stored: dict[tuple[int, int], tuple[Decimal | None, str, str]] = {
        (sheet_id, indicator_id): (value, methods, note)
        for sheet_id, indicator_id, value, methods, note in Score.objects.filter(sheet__in=sheets.values()).values_list(
            "sheet_id", "indicator_id", "value", "methods", "note"
        )
    }
    # A submitted sheet is read-only, but a row repeating exactly what it holds changes nothing: the
    # same filled template may be imported again once its missing rows are added.
    unchanged = {
        s.branch_id
        for s in sheets.values()
        if s.is_submitted and all(stored.get((s.pk, i), (None,))[0] == v for i, v in values[s.branch_id].items())
    }
    locked = [s for s in sheets.values() if s.is_submitted and s.branch_id not in unchanged]
    if locked:
        raise ImportRejected(
            [
                ImportIssue(
                    "",
                    None,
                    "",
                    _("“%(name)s”的评分表已提交，文件中的得分与已提交的不同；如需修改，请先退回。")
                    % {"name": s.branch.name},
                )
                for s in sorted(locked, key=lambda s: s.branch.name)
            ]
        )
    result.unchanged = sorted(branch_names[b] for b in unchanged)
    values = {b: row for b, row in values.items() if b not in unchanged}
    sheets = {b: s for b, s in sheets.items() if b not in unchanged}
    entries: dict[int, dict[int, ScoreEntry]] = {}
    for branch_id, row in values.items():
        sheet = sheets[branch_id]
        entries[sheet.pk] = {}
        for indicator_id, value in row.items():
            _value, methods, note = stored.get((sheet.pk, indicator_id), (None, "", ""))
            entries[sheet.pk][indicator_id] = ScoreEntry(
                value=value, methods=tuple(m for m in methods.split(",") if m), note=note
            )
    try:
        # Every sheet in one go (the same checks and history as sheet_save, in a fixed number of
        # queries): a 5,000-row file in seconds rather than a query storm per row.
        changed = sheets_save_scores(
            quarter=quarter, actor=user, entries=entries, base_versions={s.pk: s.version for s in sheets.values()}
        )
    except ValidationError as exc:
        # Only a concurrent change can get here (everything was checked above): refuse it all.
        branch_id = next((b for b, s in sheets.items() if s.pk == getattr(exc, "sheet_id", None)), None)
        raise rejected_file(
            _("“%(name)s”：%(why)s") % {"name": branch_names.get(branch_id, ""), "why": "；".join(exc.messages)}
        ) from exc
    for branch_id, row in values.items():
        result.sheets += 1
        result.values += len(row)
        result.changes += changed[sheets[branch_id].pk]
        result.by_branch[branch_names[branch_id]] = len(row)
    if submit:
        done, incomplete = sheets_submit(quarter=quarter, actor=user, sheet_ids=[s.pk for s in sheets.values()])
        result.submitted = [s.branch.name for s in done]
        result.drafts = [s.branch.name for s in incomplete]
    else:
        result.drafts = sorted(branch_names[b] for b in values)
    return result
