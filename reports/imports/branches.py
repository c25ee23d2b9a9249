"""The branch list from Excel (组织名称, 类别, 组织类型, 上级组织, 所属单位): names already known are
updated, not duplicated. Read through the list-sheet core of reports.imports.sheets; written in
one transaction, all or nothing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches import units as unit_tree
from branches.models import Branch, Category, Unit
from branches.text import validate_plain_name
from reports.imports.sheets import ImportIssue, ImportRejected, cells_by_key, column_name, list_read
from scoring.selectors import category_locked_message, quarter_scoring_branch

BRANCH_HEADERS = {"name": "组织名称", "category": "类别", "kind": "组织类型", "parent": "上级组织", "unit": "所属单位"}
REQUIRED_BRANCH_HEADERS = ("name", "category", "kind", "unit")
CATEGORY_ALIASES = {"I": "1", "II": "2", "III": "3", "1": "1", "2": "2", "3": "3"}
KIND_ALIASES = {"党支部": Branch.Kind.BRANCH, "党总支": Branch.Kind.GENERAL}


def parse_category(raw: str) -> str | None:
    """Ⅰ/Ⅱ/Ⅲ, I/II/III or 1/2/3, with or without 类 (NFKC turns Ⅱ into II and １ into 1)."""
    text = unicodedata.normalize("NFKC", raw).strip().upper().removesuffix("类").strip()
    return CATEGORY_ALIASES.get(text)


@dataclass
class BranchRow:
    row: int
    name: str
    category: str
    kind: str
    unit: str
    parent: str
    # The id of the evaluating unit the row's 所属单位 resolves to (the company root's for a unit the
    # import creates under it). Set by the checks.
    evaluator: int = 0


@dataclass
class BranchImportResult:
    created: int = 0
    updated: int = 0
    units_created: int = 0


def _missing_branch_headers(missing: str) -> str:
    return _("第 1 行缺少表头：%(missing)s。表头应为：组织名称、类别、组织类型、上级组织（可选）、所属单位。") % {
        "missing": missing
    }


def branches_read(*, source: IO[bytes], scope: Unit | None = None) -> list[BranchRow]:
    """Parse and validate a branch list; raises ImportRejected with every problem. Writes nothing.
    With a `scope` (a unit's 党建部), every 所属单位 must be that unit or below it."""

    def check_rows(title: str, rows: list[BranchRow], positions: dict, issues: list[ImportIssue]) -> None:
        _check_branch_rows(title, rows, positions, issues, scope=scope)

    return list_read(
        source=source,
        headers=BRANCH_HEADERS,
        required=REQUIRED_BRANCH_HEADERS,
        missing_headers=_missing_branch_headers,
        read_row=_read_branch_row,
        check_rows=check_rows,
        empty=_("文件中没有党组织。"),
    )


def _read_branch_row(title, number, cells, positions, issues) -> BranchRow | None:
    values, ok = cells_by_key(title, number, cells, positions, BRANCH_HEADERS, issues)
    for key in REQUIRED_BRANCH_HEADERS:
        if key in values and not values[key]:
            issues.append(
                ImportIssue(title, number, column_name(positions[key] + 1, BRANCH_HEADERS[key]), _("不能为空。"))
            )
            ok = False
    for key in ("name", "unit", "parent"):
        if len(values.get(key, "")) > 100:
            issues.append(
                ImportIssue(
                    title, number, column_name(positions[key] + 1, BRANCH_HEADERS[key]), _("不能超过 100 个字。")
                )
            )
            ok = False
        try:
            validate_plain_name(values.get(key, ""))
        except ValidationError as exc:
            issues.append(
                ImportIssue(title, number, column_name(positions[key] + 1, BRANCH_HEADERS[key]), exc.messages[0])
            )
            ok = False
    category = parse_category(values.get("category", "")) if values.get("category") else None
    if values.get("category") and category is None:
        issues.append(
            ImportIssue(
                title,
                number,
                column_name(positions["category"] + 1, BRANCH_HEADERS["category"]),
                _("类别“%(value)s”无法识别，应为 Ⅰ、Ⅱ、Ⅲ（或 I、II、III，1、2、3）。") % {"value": values["category"]},
            )
        )
        ok = False
    kind = KIND_ALIASES.get(values.get("kind", ""))
    if values.get("kind") and kind is None:
        issues.append(
            ImportIssue(
                title,
                number,
                column_name(positions["kind"] + 1, BRANCH_HEADERS["kind"]),
                _("组织类型“%(value)s”无法识别，应为“党支部”或“党总支”。") % {"value": values["kind"]},
            )
        )
        ok = False
    if not ok:
        return None
    return BranchRow(number, values["name"], category, kind, values["unit"], values.get("parent", ""))


def _check_branch_rows(
    title: str, rows: list[BranchRow], positions: dict, issues: list[ImportIssue], *, scope: Unit | None = None
) -> None:
    """Units of the tree, names unique within their evaluating unit, parents that are 党总支 of the
    same evaluating unit. Where no tree was imported a 所属单位 named for the first time will be a new
    unit under the company root; otherwise it must be a unit of the tree — and, for a unit's 党建部
    (`scope`), that unit or one below it: a branch's identity is its name within its evaluating unit,
    so no row can reach a branch outside the subtree."""
    unit_column = column_name(positions["unit"] + 1, BRANCH_HEADERS["unit"]) if "unit" in positions else ""
    parent_column = column_name(positions["parent"] + 1, BRANCH_HEADERS["parent"]) if "parent" in positions else ""
    found = Unit.objects.filter(name__in={r.unit for r in rows}).values_list("name", "evaluating_unit_id", "path")
    known = {name: evaluator for name, evaluator, _path in found}
    paths = {name: path for name, _evaluator, path in found}
    single = unit_tree.is_single_company()
    root = unit_tree.default_unit() if single else None
    checked: list[BranchRow] = []
    for row in rows:
        outside = scope is not None and (
            not paths[row.unit].startswith(scope.path)
            if row.unit in paths
            else root is not None and root.pk != scope.pk  # a new unit goes under the company root
        )
        if outside:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    unit_column,
                    _("所属单位“%(name)s”不在本单位（%(scope)s）及其下级单位中，不能由本单位导入。")
                    % {"name": row.unit, "scope": scope.name},
                )
            )
        elif row.unit in known and known[row.unit] is None:
            issues.append(
                ImportIssue(
                    title, row.row, unit_column, _("单位“%(name)s”及其上级都不是考评单位。") % {"name": row.unit}
                )
            )
        elif row.unit not in known and not single:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    unit_column,
                    _("所属单位“%(name)s”不在单位树中，请先导入单位（import_units）。") % {"name": row.unit},
                )
            )
        else:
            row.evaluator = known.get(row.unit) or root.evaluating_unit_id
            checked.append(row)
    first: dict[tuple[int, str], int] = {}
    for row in checked:
        key = (row.evaluator, row.name)
        if key in first:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    "",
                    _("“%(name)s”重复出现（第 %(row)s 行已有），同一考评单位内党组织名称不能重复。")
                    % {"name": row.name, "row": first[key]},
                )
            )
        else:
            first[key] = row.row
    in_file = {(r.evaluator, r.name): r.kind for r in checked}
    in_db = {
        (evaluator, name): kind
        for evaluator, name, kind in Branch.objects.filter(
            evaluating_unit_id__in={r.evaluator for r in checked}, name__in={r.parent for r in checked if r.parent}
        ).values_list("evaluating_unit_id", "name", "kind")
    }
    for row in checked:
        if not row.parent:
            continue
        if row.parent == row.name:
            issues.append(ImportIssue(title, row.row, parent_column, _("上级组织不能是它自己。")))
            continue
        kind = in_file.get((row.evaluator, row.parent), in_db.get((row.evaluator, row.parent)))
        if kind is None:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    parent_column,
                    _("上级组织“%(name)s”不存在（本考评单位中既不在系统中，也不在本文件中）。") % {"name": row.parent},
                )
            )
        elif kind != Branch.Kind.GENERAL:
            issues.append(
                ImportIssue(title, row.row, parent_column, _("上级组织“%(name)s”不是党总支。") % {"name": row.parent})
            )


def branches_import(*, source: IO[bytes], user=None, scope: Unit | None = None) -> BranchImportResult:
    """Create or update party organisations from a branch list: names already known are updated,
    not duplicated; a unit named for the first time is created. All or nothing. A branch's
    category cannot change while a quarter including it is being scored. Audited."""
    return _branches_write(rows=branches_read(source=source, scope=scope), user=user)


@transaction.atomic
def _branches_write(*, rows: list[BranchRow], user=None) -> BranchImportResult:
    result = BranchImportResult()
    wanted = Q()
    for row in rows:
        wanted |= Q(evaluating_unit_id=row.evaluator, name=row.name)
    existing = {(b.evaluating_unit_id, b.name): b for b in Branch.objects.select_for_update().filter(wanted)}
    recategorised = [
        (row, existing[row.evaluator, row.name])
        for row in rows
        if (row.evaluator, row.name) in existing and existing[row.evaluator, row.name].category != row.category
    ]
    locked = []
    for row, branch in recategorised:
        if quarter := quarter_scoring_branch(branch):
            locked.append(ImportIssue("", row.row, "", category_locked_message(branch, quarter, row.category)))
    if locked:
        raise ImportRejected(locked)
    changes = {
        branch.name: f"{Category(branch.category).label} → {Category(row.category).label}"
        for row, branch in recategorised
    }
    units = {u.name: u for u in Unit.objects.filter(name__in={r.unit for r in rows})}
    for name in sorted({r.unit for r in rows} - set(units)):
        # No tree imported (checked): a new 所属单位 under the company root, as always.
        units[name] = unit_tree.unit_create(name=name, parent=unit_tree.default_unit())
        result.units_created += 1
    created = []
    for row in rows:
        branch = existing.get((row.evaluator, row.name))
        if branch is None:
            branch = Branch(name=row.name)
            result.created += 1
            created.append(row.name)
        else:
            result.updated += 1
        branch.category, branch.kind, branch.unit = row.category, row.kind, units[row.unit]
        branch.full_clean(exclude=["parent", "secretary", "evaluating_unit"], validate_unique=False)
        branch.save()
        existing[row.evaluator, row.name] = branch
    evaluators = {b.evaluating_unit_id for b in existing.values()}
    named = {r.parent for r in rows if r.parent}
    parents = {
        (b.evaluating_unit_id, b.name): b
        for b in Branch.objects.filter(evaluating_unit_id__in=evaluators, name__in=named)
    }
    for row in rows:
        branch = existing[row.evaluator, row.name]
        parent = parents.get((branch.evaluating_unit_id, row.parent)) if row.parent else None
        if branch.parent_id != (parent.pk if parent else None):
            branch.parent = parent
            branch.save(update_fields=["parent"])
    detail = {"新建": result.created, "更新": result.updated, "新建单位": result.units_created}
    if created:
        detail["新建党组织"] = "、".join(created[:50]) + ("等" if len(created) > 50 else "")
    detail.update({f"类别：{name}": change for name, change in list(changes.items())[:50]})
    audit_record(user=user, action="branch_import", detail=detail)
    return result
