"""Import of the unit tree (单位树) from Excel: 单位名称, 上级单位 (empty for a root), 考评单位 (是/否).

Like every import here: the whole file is read and every problem collected (row, column, why, in
Chinese); on any problem nothing is written. A unit already known by name is updated (moved under
its new parent, made or unmade an evaluating unit), never duplicated; units the file does not name
stay where they are. The evaluating unit of every unit and branch below follows the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches import units as tree
from branches.models import Branch, Unit
from branches.text import validate_plain_name
from reports.imports.sheets import ImportIssue, ImportRejected, cells_by_key, column_name, list_read

UNIT_HEADERS = {"name": "单位名称", "parent": "上级单位", "evaluating": "考评单位"}
REQUIRED_UNIT_HEADERS = ("name", "parent", "evaluating")
YES_NO = {"是": True, "否": False, "": False}


@dataclass
class UnitRow:
    row: int
    name: str
    parent: str
    is_evaluating: bool


@dataclass
class UnitImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    evaluating: int = 0


def units_import(*, source: IO[bytes], user=None, scope: Unit | None = None) -> UnitImportResult:
    """Read, check and write a unit list. Raises ImportRejected with every problem; writes nothing then.
    With a `scope` (a unit's 党建部 importing in the browser) every row stays inside that unit's
    subtree: the unit itself unchanged, nothing created, moved or named outside it."""

    def check(title, rows, positions, issues):
        _check(title, rows, positions, issues)
        if scope is not None:
            _check_scope(title, rows, positions, issues, scope)

    rows = list_read(
        source=source,
        headers=UNIT_HEADERS,
        required=REQUIRED_UNIT_HEADERS,
        missing_headers=_missing_unit_headers,
        read_row=_read_row,
        check_rows=check,
        empty=_("文件中没有单位。"),
    )
    try:
        return _write(rows, user, scope)
    except ValidationError as exc:
        raise ImportRejected([ImportIssue("", None, "", m) for m in exc.messages]) from exc


def _missing_unit_headers(missing: str) -> str:
    return _("第 1 行缺少表头：%(missing)s。表头应为：单位名称、上级单位、考评单位（是/否）。") % {"missing": missing}


def _read_row(title, number, cells, positions, issues) -> UnitRow | None:
    values, ok = cells_by_key(title, number, cells, positions, UNIT_HEADERS, issues)
    for key in ("name", "parent"):
        column = column_name(positions[key] + 1, UNIT_HEADERS[key])
        if key == "name" and not values.get(key):
            issues.append(ImportIssue(title, number, column, _("不能为空。")))
            ok = False
        elif len(values.get(key, "")) > 100:
            issues.append(ImportIssue(title, number, column, _("不能超过 100 个字。")))
            ok = False
        else:
            try:
                validate_plain_name(values.get(key, ""))
            except ValidationError as exc:
                issues.append(ImportIssue(title, number, column, exc.messages[0]))
                ok = False
    evaluating = YES_NO.get(values.get("evaluating", ""))
    if evaluating is None and "evaluating" in values:
        issues.append(
            ImportIssue(
                title,
                number,
                column_name(positions["evaluating"] + 1, UNIT_HEADERS["evaluating"]),
                _("考评单位应填“是”或“否”，不能是“%(value)s”。") % {"value": values["evaluating"]},
            )
        )
    if not ok or evaluating is None:
        return None
    return UnitRow(number, values["name"], values.get("parent", ""), evaluating)


def _check(title: str, rows: list[UnitRow], positions: dict[str, int], issues: list[ImportIssue]) -> None:
    """Duplicates, unknown parents, cycles, and what the tree after the import would break."""
    first: dict[str, int] = {}
    for row in rows:
        if row.name in first:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    "",
                    _("单位“%(name)s”重复出现（第 %(row)s 行已有）。") % {"name": row.name, "row": first[row.name]},
                )
            )
        else:
            first[row.name] = row.row
    by_name = {r.name: r for r in rows}
    known = {u.name: u for u in Unit.objects.filter(name__in={r.parent for r in rows if r.parent} | set(by_name))}
    parent_column = column_name(positions["parent"] + 1, UNIT_HEADERS["parent"])
    for row in rows:
        if row.parent == row.name:
            issues.append(ImportIssue(title, row.row, parent_column, _("上级单位不能是它自己。")))
        elif row.parent and row.parent not in by_name and row.parent not in known:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    parent_column,
                    _("上级单位“%(name)s”不存在（既不在系统中，也不在本文件中）。") % {"name": row.parent},
                )
            )
    for row in rows:
        if _in_cycle(row, by_name, known):
            issues.append(
                ImportIssue(title, row.row, parent_column, _("单位“%(name)s”的上级关系形成循环。") % {"name": row.name})
            )
    ended = [r for r in rows if not r.is_evaluating and r.name in known and known[r.name].is_evaluating]
    with_quarters = set(
        Unit.objects.filter(name__in=[r.name for r in ended], quarters__isnull=False).values_list("name", flat=True)
    )
    for row in ended:
        if row.name in with_quarters:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    column_name(positions["evaluating"] + 1, UNIT_HEADERS["evaluating"]),
                    _("单位“%(name)s”已有考评季度，不能改为非考评单位。") % {"name": row.name},
                )
            )


def _check_scope(title: str, rows: list[UnitRow], positions: dict[str, int], issues: list, scope: Unit) -> None:
    """Every row inside `scope`'s subtree: a unit known outside it is not the importer's; a parent
    must be `scope` or below it (or a unit of the file, itself checked); `scope` itself stays where
    it is, as it is. Two queries."""
    names = {r.name for r in rows} | {r.parent for r in rows if r.parent}
    known = {u.name: u for u in Unit.objects.filter(name__in=names)}
    current_parent = tree.parent_of(scope)
    parent_column = column_name(positions["parent"] + 1, UNIT_HEADERS["parent"])
    outside = _("只能导入本单位“%(scope)s”及其下级单位") % {"scope": scope.name}
    for row in rows:
        unit = known.get(row.name)
        if unit is not None and unit.pk == scope.pk:
            if row.parent != (current_parent.name if current_parent else "") or row.is_evaluating != unit.is_evaluating:
                issues.append(
                    ImportIssue(
                        title,
                        row.row,
                        "",
                        _("“%(name)s”是本单位，不能在此移动或更改其考评单位（请联系上级单位或系统管理员）。")
                        % {"name": row.name},
                    )
                )
            continue
        if unit is not None and not tree.is_within(unit, scope):
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    "",
                    _("单位“%(name)s”不在本单位之下，%(outside)s。") % {"name": row.name, "outside": outside},
                )
            )
        elif not row.parent:
            issues.append(
                ImportIssue(title, row.row, parent_column, _("上级单位不能为空：%(outside)s。") % {"outside": outside})
            )
        elif row.parent in known and not tree.is_within(known[row.parent], scope):
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    parent_column,
                    _("上级单位“%(name)s”不在本单位之下，%(outside)s。") % {"name": row.parent, "outside": outside},
                )
            )


def _in_cycle(row: UnitRow, by_name: dict[str, UnitRow], known: dict[str, Unit]) -> bool:
    """Whether following the file's 上级单位 from `row` comes back to a row already passed. (A unit
    moved under a unit stored below it is refused by branches.units when written.)"""
    seen = {row.name}
    parent = row.parent
    while parent and parent in by_name:
        if parent in seen:
            return True
        seen.add(parent)
        parent = by_name[parent].parent
    return False


@transaction.atomic
def _write(rows: list[UnitRow], user, scope: Unit | None = None) -> UnitImportResult:
    result = UnitImportResult()
    by_name = {r.name: r for r in rows}

    def depth(row: UnitRow) -> int:
        level = 0
        while row.parent in by_name:
            row, level = by_name[row.parent], level + 1
        return level

    for row in sorted(rows, key=lambda r: (depth(r), r.row)):
        unit = Unit.objects.filter(name=row.name).first()
        parent = Unit.objects.get(name=row.parent) if row.parent else None
        if unit is None:
            tree.unit_create(name=row.name, parent=parent, is_evaluating=row.is_evaluating)
            result.created += 1
            continue
        current = tree.parent_of(unit)
        if (current and current.pk) == (parent and parent.pk) and unit.is_evaluating == row.is_evaluating:
            result.unchanged += 1
            continue
        try:
            tree.unit_update(unit=unit, parent=parent, is_evaluating=row.is_evaluating)
        except ValidationError as exc:  # the tree's own refusals (below itself, a quarter being scored)
            raise ImportRejected([ImportIssue("", row.row, "", m) for m in exc.messages]) from exc
        result.updated += 1
    for root in Unit.objects.filter(depth=1):
        tree.refresh_evaluating_units(root)
    orphans = Branch.objects.filter(unit__evaluating_unit__isnull=True).values_list("name", "unit__name")[:1]
    for name, unit in orphans:
        raise ValidationError(
            _("单位“%(unit)s”及其上级都不是考评单位，其党组织“%(name)s”将无人考评。") % {"unit": unit, "name": name}
        )
    result.evaluating = Unit.objects.filter(is_evaluating=True).count()
    detail: dict[str, object] = {"新建": result.created, "更新": result.updated, "未变": result.unchanged}
    if scope is not None:
        detail["范围"] = scope.name
    audit_record(user=user, action="unit_import", detail=detail)
    return result
