"""Quarters within the unit tree (issue 17): every quarter is one evaluating unit's; a code names a
quarter only together with its unit (the only evaluating unit's, where there is one).

Also the template rule — a unit may publish a quarter's scheme as the template for the units below
it, and a unit's first quarter starts from the nearest template above — and the check that keeps a
branch from leaving or joining an evaluating unit while one of its quarters is being scored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from branches.models import Branch, Unit
from branches.units import ancestor_paths, evaluating_unit_named
from scoring.models import Quarter

UNIT_HELP = "考评单位名称；只有一个考评单位时可省略"


def quarter_named(code: str, unit_name: str | None = None) -> Quarter:
    """The quarter `code` of the evaluating unit `unit_name` (the only evaluating unit's without
    one). Raises ValidationError saying why in Chinese: no such unit, not an evaluating unit, no
    such quarter, a quarter of another unit, several units to choose from."""
    unit = evaluating_unit_named(unit_name)
    quarter = Quarter.objects.filter(unit=unit, code=code).select_related("unit").first()
    if quarter is not None:
        return quarter
    others = list(Quarter.objects.filter(code=code).order_by("unit__path").values_list("unit__name", flat=True))
    if others:
        raise ValidationError(
            _("考评单位“%(unit)s”没有季度 %(code)s（季度 %(code)s 属于：%(others)s）。")
            % {"unit": unit.name, "code": code, "others": "、".join(others)}
        )
    raise ValidationError(_("季度 %(code)s 不存在。") % {"code": code})


def add_unit_argument(parser) -> None:
    """`--unit NAME` for every command that takes `--quarter`."""
    parser.add_argument("--unit", help=UNIT_HELP, default=None)


def template_above(unit: Unit) -> Quarter | None:
    """The scheme a unit's first quarter starts from: the latest quarter published as template
    (`is_template`) by the nearest unit above that has one. One query."""
    return (
        Quarter.objects.filter(unit__path__in=ancestor_paths(unit), is_template=True)
        .order_by("-unit__depth", "-year", "-number")
        .first()
    )


def open_quarter_for_move(branch: Branch, unit: Unit) -> str | None:
    """branches.units.branch_move's check (registered in ScoringConfig.ready): a branch cannot
    change its evaluating unit while a quarter of the old or the new one is being scored."""
    if unit.evaluating_unit_id == branch.evaluating_unit_id:
        return None
    busy = (
        Quarter.objects.filter(
            unit_id__in=[branch.evaluating_unit_id, unit.evaluating_unit_id],
            status__in=[Quarter.Status.SCORING, Quarter.Status.CLOSED],
        )
        .select_related("unit")
        .first()
    )
    if busy is None:
        return None
    return _("%(unit)s的季度 %(code)s 正在考评（%(status)s），“%(branch)s”暂不能移到其他考评单位。") % {
        "unit": busy.unit.name,
        "code": busy.code,
        "status": busy.get_status_display(),
        "branch": branch.name,
    }


def template_publish(*, quarter: Quarter, is_template: bool = True) -> Quarter:
    """Publish (or withdraw) the quarter's scheme as the template for the units below its unit."""
    if is_template and not quarter.indicators.exists():
        raise ValidationError(_("季度 %(code)s 没有考核指标，不能作为下级单位的模板。") % {"code": quarter.code})
    Quarter.objects.filter(pk=quarter.pk).update(is_template=is_template)
    quarter.is_template = is_template
    return quarter
