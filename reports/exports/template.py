"""The files to fill in and import: the offline score template (评分模板), the branch list
(党组织名单) and the unit list (单位名单), each in the format its import reads."""

from __future__ import annotations

from django.utils.translation import gettext as _

from baiyin_eval.xlsx import ONE_DECIMAL
from branches import units as unit_tree
from branches.models import CATEGORY_SYMBOLS, Branch, Category, Unit
from reports.exports.common import sheet_name
from scoring import scheme
from scoring.models import Indicator, InspectionGroup, Quarter, ScoreSheet

# The template is a file format: its labels are fixed, whatever the interface language.
TEMPLATE_NAME_HEADER = "组织名称"
TEMPLATE_MAX_LABEL = "满分"
FORM_ROW_HEIGHT = 22  # points: room to write a score by hand on the printed template


def template_branches(quarter: Quarter, group: InspectionGroup | None) -> dict[str, list[str]]:
    """category → branch names the template lists: every active branch for 党建部, the branches
    assigned to the group otherwise."""
    if group is None:
        rows = Branch.objects.for_quarter(quarter).values_list("category", "name")
    else:
        rows = ScoreSheet.objects.filter(quarter=quarter, group=group).values_list("branch__category", "branch__name")
    out: dict[str, list[str]] = {c: [] for c in Category.values}
    for category, name in rows.order_by("branch__name" if group else "name"):
        out[category].append(name)
    return out


def template_schemes(quarter: Quarter) -> dict[str, list[Indicator]]:
    indicators = list(Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id"))
    # The same order as scoring.selectors.scheme_for_category, from one query.
    return {c: scheme.pick(indicators, c) for c in Category.values}


def score_template(quarter: Quarter, group: InspectionGroup | None = None):
    """The offline scoring template: a sheet per category (Ⅰ类, Ⅱ类, Ⅲ类); row 1 组织名称 and the
    indicator names in scheme order, row 2 满分 and the maxima, then a row per branch."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from baiyin_eval.xlsx import (
        BORDER,
        HEADER_FILL,
        WRAP,
        display_width,
        fit_row_height,
        header_row,
        print_setup,
        row_height,
        set_widths,
        text_cell,
    )

    schemes = template_schemes(quarter)
    branches = template_branches(quarter, group)
    wb = Workbook(write_only=True)
    for category in Category.values:
        ws = wb.create_sheet(sheet_name(category))
        indicators = schemes[category]
        ws.freeze_panes = "B3"
        # The names column as wide as the longest name (within reason; longer ones wrap), the
        # score columns narrow with their headers wrapped: the sheet fits one landscape page wide.
        longest = max((display_width(name) for name in branches[category]), default=0)
        widths = [min(max(24, longest + 2), 40), *[10] * len(indicators)]
        set_widths(ws, widths)
        print_setup(ws, widths, title_rows="1:2")
        last_row = len(branches[category]) + 2
        for index, indicator in enumerate(indicators, start=2):
            # Excel and WPS warn at once about a value out of range; the import checks again anyway.
            rule = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=str(indicator.max_score),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=str(_("得分超出范围")),
                error=str(_("请填写 0 到 %(max)s 之间的分数，最多一位小数。") % {"max": indicator.max_score}),
            )
            column = get_column_letter(index)
            rule.add(f"{column}3:{column}{max(last_row, 3)}")
            ws.data_validations.append(rule)  # write-only sheets lack add_data_validation()
        headers = [TEMPLATE_NAME_HEADER, *[i.name for i in indicators]]
        fit_row_height(ws, 1, zip(headers, widths, strict=True))
        ws.append(header_row(ws, headers))
        maxima = [text_cell(ws, TEMPLATE_MAX_LABEL)]
        for indicator in indicators:
            cell = WriteOnlyCell(ws, value=float(indicator.max_score))
            cell.number_format = ONE_DECIMAL
            cell.fill, cell.border = HEADER_FILL, BORDER
            maxima.append(cell)
        ws.append(maxima)
        for row_index, name in enumerate(branches[category], start=3):
            # Bordered empty score cells: the printed template is a form to fill in by hand.
            cell = text_cell(ws, name)
            cell.alignment, cell.border = WRAP, BORDER
            # At least a handwriting line high: the printed template is also a paper form.
            ws.row_dimensions[row_index].height = max(row_height([(name, widths[0])]) or 0, FORM_ROW_HEIGHT)
            ws.append([cell, *[_empty_cell(ws) for _indicator in indicators]])
    return wb


def _empty_cell(ws):
    from openpyxl.cell import WriteOnlyCell

    from baiyin_eval.xlsx import BORDER

    cell = WriteOnlyCell(ws, value=None)
    cell.border = BORDER
    return cell


def template_file_name(quarter: Quarter, group: InspectionGroup | None) -> str:
    who = group.name if group else _("党建部")
    return f"{quarter.code}-{who}-{_('评分模板')}.xlsx"


def branch_list_workbook(scope=None):
    """Every party organisation (of the `scope` unit's subtree, for a unit's 党建部) in the branch-list
    import's own format (a starting point to edit)."""
    from openpyxl import Workbook

    from baiyin_eval.xlsx import header_row, print_setup, set_widths, text_cell
    from reports.imports import BRANCH_HEADERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党组织名单")
    ws.freeze_panes = "A2"
    widths = (32, 8, 10, 28, 24)
    set_widths(ws, widths)
    print_setup(ws, widths, title_rows="1:1")
    order = ("name", "category", "kind", "parent", "unit")
    ws.append(header_row(ws, [BRANCH_HEADERS[key] for key in order]))
    branches = Branch.objects.all() if scope is None else Branch.objects.filter(unit__path__startswith=scope.path)
    rows = branches.order_by("category", "name").values_list("name", "category", "kind", "parent__name", "unit__name")
    for name, category, kind, parent, unit in rows.iterator(chunk_size=2000):
        ws.append(
            [
                text_cell(ws, name),
                CATEGORY_SYMBOLS[Category(category)],
                str(Branch.Kind(kind).label),
                text_cell(ws, parent) if parent else None,
                text_cell(ws, unit),
            ]
        )
    return wb


def unit_list_workbook(scope: Unit | None = None):
    """The unit tree (the whole of it, or `scope`'s subtree) in the unit import's format, parents
    before children: 单位名称, 上级单位, 考评单位 (是/否). Two queries."""
    from openpyxl import Workbook

    from baiyin_eval.xlsx import header_row, print_setup, set_widths, text_cell
    from reports.imports.units import UNIT_HEADERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("单位名单")
    ws.freeze_panes = "A2"
    widths = (32, 32, 10)
    set_widths(ws, widths)
    print_setup(ws, widths, title_rows="1:1")
    ws.append(header_row(ws, [UNIT_HEADERS[key] for key in ("name", "parent", "evaluating")]))
    units = unit_tree.subtree(scope) if scope is not None else Unit.objects.all()
    names: dict[str, str] = {}
    if scope is not None and (above := unit_tree.parent_of(scope)) is not None:
        names[above.path] = above.name
    for path, name, evaluating in units.order_by("path").values_list("path", "name", "is_evaluating"):
        names[path] = name
        parent = names.get(path[: -Unit.steplen], "")
        ws.append([text_cell(ws, name), text_cell(ws, parent) if parent else None, "是" if evaluating else "否"])
    return wb
