"""A unit tree with published boards written row by row, for the roll-up tests.

The boards are BoardEntry rows as publication leaves them (the roll-up reads nothing else), so the
tests can state each unit's board exactly and compute the expected roll-up from those rows alone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from boards.models import BoardEntry
from branches.models import Branch, Unit
from scoring.models import Quarter

PROVINCE = "国网甘肃省电力公司"
BAIYIN = "国网白银供电公司"
DINGXI = "国网定西供电公司"
TIANSHUI = "国网天水供电公司"


def add_unit(name: str, parent: Unit | None = None, *, evaluating: bool = True) -> Unit:
    """A unit of the tree; a non-evaluating one is evaluated by its nearest evaluating ancestor."""
    if parent is None:
        unit = Unit.objects.add_root({"name": name, "is_evaluating": evaluating})
    else:
        unit = Unit.objects.add_child(parent, {"name": name, "is_evaluating": evaluating})
        parent.refresh_from_db()
    unit.evaluating_unit = unit if evaluating else (parent.evaluating_unit if parent else None)
    unit.save()
    return unit


def add_quarter(unit: Unit, code: str, status: str = Quarter.Status.PUBLISHED) -> Quarter:
    year, number = Quarter.parse_code(code)
    return Quarter.objects.create(unit=unit, code=code, year=year, number=number, status=status)


@dataclass(frozen=True)
class Line:
    """One row of a published board: name, category, total (None: unscored), rank, board."""

    name: str
    category: str
    total: str | None
    rank: int | None = None
    board: str = ""
    status: str = BoardEntry.Status.RANKED


def branch(unit: Unit, name: str, category: str = "1") -> Branch:
    evaluating = unit.evaluating_unit or unit
    found = Branch.objects.filter(name=name, evaluating_unit=evaluating).first()
    if found is not None:
        return found
    return Branch.objects.create(name=name, category=category, unit=unit, evaluating_unit=evaluating)


def publish_rows(quarter: Quarter, lines: list[Line], unit: Unit | None = None) -> list[BoardEntry]:
    """Write the quarter's board: a branch of `unit` (default: the quarter's) per line."""
    unit = unit or quarter.unit
    entries = []
    for line in lines:
        b = branch(unit, line.name, line.category)
        status = line.status if line.total is not None else BoardEntry.Status.UNSCORED
        entries.append(
            BoardEntry(
                quarter=quarter,
                branch=b,
                branch_name=line.name,
                unit=unit,
                unit_name=unit.name,
                category=line.category,
                status=status,
                total=None if line.total is None else Decimal(line.total),
                indicator_total=None if line.total is None else Decimal(line.total),
                rank=line.rank,
                board=line.board,
            )
        )
    return BoardEntry.objects.bulk_create(entries)


def standard_board(prefix: str = "") -> list[Line]:
    """Three categories, the report's shape: Ⅰ first and last, Ⅱ a tie at the bottom, an unscored one."""
    return [
        Line("白银变电运检中心党支部", "1", "96.50", 1, "red"),
        Line(f"{prefix}平川区供电公司党总支", "1", "88.00", 2, "blue"),
        Line("电力调度中心党总支部", "2", "97.20", 1, "red"),
        Line("鸿运物业分公司党支部", "2", "86.00", 2, "blue"),
        Line("客户服务中心党支部", "2", "86.00", 2, "blue"),
        Line("财务部党支部", "3", "95.00", 1, "red"),
        Line("办公室党支部", "3", "91.00", 2),
        Line("营销部党支部", "3", "84.50", 3, "blue"),
        Line("物资供应中心党支部", "2", None),
    ]


def province_tree() -> dict[str, Unit]:
    """国网甘肃省电力公司 (not evaluating) → 白银, 定西, 天水 (evaluating) → a county under 白银 (not)."""
    province = add_unit(PROVINCE, evaluating=False)
    units = {PROVINCE: province}
    for name in (BAIYIN, DINGXI, TIANSHUI):
        units[name] = add_unit(name, province)
    units["会宁县供电公司"] = add_unit("会宁县供电公司", units[BAIYIN], evaluating=False)
    # Adding a sibling may move the others' paths (when the tree keeps siblings ordered): read them back.
    return {name: Unit.objects.get(pk=unit.pk) for name, unit in units.items()}
