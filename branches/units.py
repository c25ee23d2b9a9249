"""The unit tree (单位树): its reads and writes.

Units are a django-treebeard materialized path: a unit's subtree is `path LIKE 'prefix%'` on an
indexed column, so every access check and every roll-up reads a subtree in one query whatever the
depth, and no list of ids is ever built. treebeard keeps `path`, `depth` and `numchild` right on
inserts and moves; this module keeps the denormalised `evaluating_unit` of units and branches right.

Where no tree was imported, the installation has one evaluating unit: the root named by
`PORTAL_COMPANY_NAME` (`default_unit`), created when first needed, with every 所属单位 under it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from branches.models import Branch, Unit, User

STEP = Unit.steplen


# Reads ------------------------------------------------------------------------------------------


def subtree(unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit below it: one indexed prefix match on the path."""
    return Unit.objects.filter(path__startswith=unit.path)


def evaluating_units_under(unit: Unit) -> QuerySet[Unit]:
    """The evaluating units of the subtree, the unit itself included when it evaluates."""
    return subtree(unit).filter(is_evaluating=True)


def is_within(unit: Unit | None, top: Unit | None) -> bool:
    """Whether `unit` is `top` or below it (no query: the paths say it)."""
    return unit is not None and top is not None and unit.path.startswith(top.path)


def ancestor_paths(unit: Unit) -> list[str]:
    """The paths of the unit's ancestors, root first (the unit itself excluded)."""
    return [unit.path[:end] for end in range(STEP, len(unit.path), STEP)]


def parent_of(unit: Unit) -> Unit | None:
    return Unit.objects.filter(path=unit.path[:-STEP]).first() if unit.depth > 1 else None


def evaluating_parent(unit: Unit) -> Unit | None:
    """The nearest evaluating unit strictly above `unit` (whose template a new quarter may use)."""
    return Unit.objects.filter(path__in=ancestor_paths(unit), is_evaluating=True).order_by("-depth").first()


def default_unit() -> Unit | None:
    """The company's own unit (named by PORTAL_COMPANY_NAME). On an empty tree it is created, as
    the root and an evaluating unit: a single-company installation needs no tree of its own."""
    unit = Unit.objects.filter(name=settings.COMPANY_NAME).first()
    if unit is None and not Unit.objects.exists():
        unit = Unit.objects.add_root({"name": settings.COMPANY_NAME, "is_evaluating": True})
        Unit.objects.filter(pk=unit.pk).update(evaluating_unit=unit)
        unit.evaluating_unit = unit
    return unit


def is_single_company() -> bool:
    """No tree imported: the only evaluating unit is the company root (or there is no unit yet).
    Then a 所属单位 named for the first time becomes a unit under that root, as always."""
    evaluating = list(Unit.objects.filter(is_evaluating=True).values_list("name", "depth")[:2])
    if not evaluating:
        return not Unit.objects.exists()
    return len(evaluating) == 1 and evaluating[0] == (settings.COMPANY_NAME, 1)


def sole_evaluating_unit() -> Unit | None:
    """The evaluating unit when there is exactly one (created on an empty tree), else None."""
    units = list(Unit.objects.filter(is_evaluating=True)[:2])
    if not units:
        return default_unit() if not Unit.objects.exists() else None
    return units[0] if len(units) == 1 else None


class UnitNotFound(ValidationError):
    pass


def evaluating_unit_named(name: str | None) -> Unit:
    """The evaluating unit a command or form names; without a name, the only one there is. Raises
    UnitNotFound with the reason in Chinese (unknown, not evaluating, several to choose from)."""
    if name:
        unit = Unit.objects.filter(name=name).select_related("evaluating_unit").first()
        if unit is None:
            raise UnitNotFound(_("单位“%(name)s”不存在。") % {"name": name})
        if not unit.is_evaluating:
            above = unit.evaluating_unit.name if unit.evaluating_unit else _("（无）")
            raise UnitNotFound(
                _("单位“%(name)s”不是考评单位，其党组织由“%(above)s”考评。") % {"name": name, "above": above}
            )
        return unit
    unit = sole_evaluating_unit()
    if unit is None:
        names = "、".join(Unit.objects.filter(is_evaluating=True).order_by("path").values_list("name", flat=True))
        raise UnitNotFound(_("有多个考评单位，请指定考评单位（--unit）：%(names)s") % {"names": names})
    return unit


def user_unit(user: User) -> Unit | None:
    """Where the user's role is held: the account's unit, else its branch's unit, else (accounts
    of the single-company portal, made before the tree) the company's own unit."""
    if user.unit_id is not None:
        return user.unit
    if user.branch_id is not None:
        return user.branch.unit
    return Unit.objects.filter(name=settings.COMPANY_NAME).first()


def home_unit(user) -> Unit | None:
    """The evaluating unit the user works in — the nearest one at or above where the role is held
    (that unit itself when nothing above evaluates). A role reaches this unit's subtree. Cached on
    the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if "_home_unit" not in user.__dict__:  # one query: the unit where the role is held, with the one above
        if user.unit_id is not None:
            held = Unit.objects.filter(pk=user.unit_id)
        elif user.branch_id is not None:
            held = Unit.objects.filter(branches=user.branch_id)
        else:
            held = Unit.objects.filter(name=settings.COMPANY_NAME)
        unit = held.select_related("evaluating_unit").first()
        if unit is not None and unit.evaluating_unit is not None:
            unit = unit.evaluating_unit
        user.__dict__["_home_unit"] = unit
    return user.__dict__["_home_unit"]


def within_reach(user, unit: Unit | None) -> bool:
    """Whether `unit` is in the subtree the user's role reaches (superusers reach everything). A
    path prefix test, no query beyond the user's own unit."""
    if getattr(user, "is_superuser", False):
        return True
    home = home_unit(user)
    return home is not None and unit is not None and unit.path.startswith(home.path)


def runs(user, unit: Unit | None) -> bool:
    """Whether `unit` is the user's own evaluating unit: the one whose quarters the user's role runs
    (党建部) or reads unpublished (leadership). A unit above never sees a unit's work in progress."""
    home = home_unit(user)
    return home is not None and unit is not None and home.pk == unit.pk


def unit_choice(user) -> int | None:
    """The unit a page was asked for (`?unit=<id>`, set by branches.middleware), if any."""
    return getattr(user, "unit_choice", None)


# Writes -----------------------------------------------------------------------------------------


def place_unplaced(unit: Unit) -> Unit:
    """Save a unit created without a place in the tree under the company root (Unit.save)."""
    root = default_unit()
    if root is None:
        raise ValidationError(_("单位“%(name)s”没有上级单位，请在单位树中指定。") % {"name": unit.name})
    if unit.name == root.name:
        return root
    unit.evaluating_unit_id = unit.evaluating_unit_id or root.evaluating_unit_id
    return Unit.objects.add_child(root, instance=unit)


@transaction.atomic
def unit_create(*, name: str, parent: Unit | None = None, is_evaluating: bool = False) -> Unit:
    """A new unit under `parent` (a root without one)."""
    fields = {"name": name, "is_evaluating": is_evaluating}
    if parent is None:
        unit = Unit.objects.add_root(fields)
    else:
        parent.refresh_from_db()  # treebeard needs the parent's current numchild and path
        unit = Unit.objects.add_child(parent, {"evaluating_unit_id": parent.evaluating_unit_id, **fields})
    if is_evaluating:
        Unit.objects.filter(pk=unit.pk).update(evaluating_unit=unit)
        unit.evaluating_unit_id = unit.pk
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, parent: Unit | None, is_evaluating: bool) -> Unit:
    """Move `unit` (with everything below it) under `parent` and set whether it evaluates; the
    evaluating unit of every unit and branch below follows."""
    unit.refresh_from_db()
    if parent is not None:
        parent.refresh_from_db()
    if reason := unit_change_refusal(unit, parent, is_evaluating):
        raise ValidationError(reason)
    current = parent_of(unit)
    if (current and current.pk) != (parent and parent.pk):
        if parent is None:
            Unit.objects.move(unit, Unit.objects.get_last_root_node(), "last-sibling")
        else:
            Unit.objects.move(unit, parent, "last-child")
        unit.refresh_from_db()
    if unit.is_evaluating != is_evaluating:
        Unit.objects.filter(pk=unit.pk).update(is_evaluating=is_evaluating)
        unit.is_evaluating = is_evaluating
    refresh_evaluating_units(unit)
    unit.refresh_from_db()
    return unit


def unit_change_refusal(unit: Unit, parent: Unit | None, is_evaluating: bool) -> str | None:
    """Why `unit` cannot go under `parent` (None: a root) and evaluate or not, or None. Refused: a
    place below itself; ending an evaluating unit that has quarters; changing the evaluating unit
    of branches while a check of BRANCH_MOVE_CHECKS says no (a quarter being scored). The branches
    whose evaluating unit changes are exactly those of the subtree evaluated by the unit's current
    one: a few queries, whatever the subtree's size. (unit_update, unit_move, the admin's form.)"""
    if parent is not None and is_within(parent, unit):
        return _("单位“%(name)s”不能移到其自身或下级单位“%(parent)s”之下。") % {
            "name": unit.name,
            "parent": parent.name,
        }
    if unit.is_evaluating and not is_evaluating and unit.quarters.exists():
        return _("单位“%(name)s”已有考评季度，不能改为非考评单位。") % {"name": unit.name}
    new = unit.pk if is_evaluating else (parent.evaluating_unit_id if parent is not None else None)
    if new == unit.evaluating_unit_id:
        return None
    moving = Branch.objects.filter(unit__path__startswith=unit.path, evaluating_unit_id=unit.evaluating_unit_id)
    branch = moving.order_by("name").first()
    if branch is None:
        return None
    taken = Branch.objects.filter(evaluating_unit_id=new, name__in=moving.values("name")).exclude(
        pk__in=moving.values("pk")
    )
    for name, evaluator in taken.values_list("name", "evaluating_unit__name")[:1]:
        return _("考评单位“%(unit)s”已有党组织“%(name)s”，名称在同一考评单位内不能重复。") % {
            "unit": evaluator,
            "name": name,
        }
    if new is None:
        return _("单位“%(unit)s”及其上级都不是考评单位，其党组织“%(name)s”将无人考评。") % {
            "unit": unit.name,
            "name": branch.name,
        }
    target = Unit(name=unit.name, evaluating_unit_id=new)  # what the branches' units would be evaluated by
    for check in BRANCH_MOVE_CHECKS:
        if reason := check(branch, target):
            return _("单位“%(name)s”不能这样调整（其下党组织的考评单位会改变）：%(reason)s") % {
                "name": unit.name,
                "reason": reason,
            }
    return None


@transaction.atomic
def unit_move(*, unit: Unit, target: Unit, position: str) -> Unit:
    """Move `unit` with its subtree relative to `target` (treebeard's positions: "last-child",
    "first-child", "left", "right", …), as the admin's drag and drop does; refused as
    unit_change_refusal says; then the evaluating unit of every unit and branch below follows."""
    unit.refresh_from_db()
    target.refresh_from_db()
    parent = target if position.endswith("child") else parent_of(target)
    if reason := unit_change_refusal(unit, parent, unit.is_evaluating):
        raise ValidationError(reason)
    Unit.objects.move(unit, target, position)
    unit.refresh_from_db()
    refresh_evaluating_units(unit)
    return unit


def refresh_evaluating_units(top: Unit) -> None:
    """Recompute `evaluating_unit` for `top`'s subtree and its branches: three queries and the
    updates of what changed, whatever the size."""
    above = evaluating_parent(top)
    nearest: dict[str, int | None] = {}
    changed = []
    for node in subtree(top).order_by("path").only("pk", "path", "is_evaluating", "evaluating_unit_id"):
        inherited = nearest.get(node.path[:-STEP], above.pk if above else None)
        value = node.pk if node.is_evaluating else inherited
        nearest[node.path] = value
        if node.evaluating_unit_id != value:
            node.evaluating_unit_id = value
            changed.append(node)
    Unit.objects.bulk_update(changed, ["evaluating_unit"], batch_size=500)
    moved = Branch.objects.filter(unit__path__startswith=top.path).exclude(
        evaluating_unit=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("evaluating_unit")[:1])
    )
    _check_branch_names(moved)
    moved.update(evaluating_unit=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("evaluating_unit")[:1]))


def _check_branch_names(moving: QuerySet[Branch]) -> None:
    """Refuse a change of the tree that would bring two branches of one name under one evaluating
    unit. Two queries, however many branches move."""
    rows = list(moving.values_list("name", "unit__evaluating_unit_id"))
    if not rows:
        return
    for name, target in rows:
        if target is None:
            raise ValidationError(_("党组织“%(name)s”的单位之上没有考评单位。") % {"name": name})
    staying = Branch.objects.exclude(pk__in=moving.values("pk")).filter(
        evaluating_unit_id__in={t for _n, t in rows}, name__in={n for n, _t in rows}
    )
    taken = set(staying.values_list("name", "evaluating_unit_id"))
    seen: set[tuple[str, int]] = set()
    for row in rows:
        if row in taken or row in seen:
            unit = Unit.objects.get(pk=row[1])
            raise ValidationError(
                _("考评单位“%(unit)s”已有党组织“%(name)s”，名称在同一考评单位内不能重复。")
                % {"unit": unit.name, "name": row[0]}
            )
        seen.add(row)


# Checks other apps add (scoring: no move while a quarter including the branch is being scored).
# Each takes the branch and its new unit and returns a reason to refuse, or None.
BRANCH_MOVE_CHECKS: list[Callable[[Branch, Unit], str | None]] = []


def branch_move_check_register(check: Callable[[Branch, Unit], str | None]) -> None:
    if check not in BRANCH_MOVE_CHECKS:
        BRANCH_MOVE_CHECKS.append(check)


@dataclass(frozen=True)
class BranchMoved:
    branch: Branch
    old_evaluating_unit_id: int
    new_evaluating_unit_id: int


@transaction.atomic
def branch_move(*, branch: Branch, unit: Unit) -> BranchMoved:
    """Move a branch (and its 下设支部) to `unit`; its evaluating unit follows. Refused when the
    name is taken in the new evaluating unit, or a check of BRANCH_MOVE_CHECKS says so. Published
    quarters keep what they recorded (the board's snapshot)."""
    unit.refresh_from_db()
    old = branch.evaluating_unit_id
    if unit.evaluating_unit_id is None:
        raise ValidationError(_("单位“%(name)s”之上没有考评单位。") % {"name": unit.name})
    for check in BRANCH_MOVE_CHECKS:
        reason = check(branch, unit)
        if reason:
            raise ValidationError(reason)
    old_unit = branch.unit_id
    family = Branch.objects.filter(pk=branch.pk) | Branch.objects.filter(parent=branch, unit_id=old_unit)
    if unit.evaluating_unit_id != old:
        names = list(family.values_list("name", flat=True))
        taken = Branch.objects.filter(evaluating_unit_id=unit.evaluating_unit_id, name__in=names).exclude(
            pk__in=family.values("pk")
        )
        for name in taken.values_list("name", flat=True)[:1]:
            raise ValidationError(
                _("考评单位“%(unit)s”已有党组织“%(name)s”，名称在同一考评单位内不能重复。")
                % {"unit": unit.evaluating_unit.name, "name": name}
            )
    branch.unit = unit
    branch.save()
    # 下设支部 of the same unit go with their 党总支.
    Branch.objects.filter(parent=branch, unit_id=old_unit).update(unit=unit, evaluating_unit_id=unit.evaluating_unit_id)
    return BranchMoved(branch, old, unit.evaluating_unit_id)
