"""党建部's desk: a new quarter from the portal, what it copied, and the scheme editor.

The scheme can change only while its quarter is 准备: the editor is read-only afterwards, and a
write that arrives anyway (an old tab, a crafted POST) is refused with a message, never an error page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models import Category
from scoring import access, pages, selectors, services
from scoring.forms import DeductionItemForm, IndicatorForm, QuarterCreateForm
from scoring.models import DeductionItem, Indicator, Quarter
from scoring.units import template_publish as template_publish_service
from scoring.views.common import apply_errors, form_status


def _frozen_refusal(request, quarter: Quarter):
    """The answer to any attempt to change a frozen scheme: back to the read-only scheme, saying why."""
    messages.error(
        request,
        _("季度 %(code)s 当前为“%(status)s”，考核指标体系已冻结，不能再修改。")
        % {"code": quarter.code, "status": quarter.get_status_display()},
    )
    return redirect("scoring:scheme", quarter.code)


def _scheme_url(indicator: Indicator) -> str:
    return reverse("scoring:scheme", args=[indicator.quarter.code]) + f"#indicator-{indicator.pk}"


# --- a new quarter -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def quarter_create(request):
    access.require_dept(request.user)
    unit = access.dept_unit(request.user)
    form = QuarterCreateForm(request.POST or None, unit=unit, initial={"code": services.next_quarter_code(unit)})
    if request.method == "POST" and form.is_valid():
        try:
            quarter = services.quarter_create(
                code=form.cleaned_data["code"],
                unit=unit,
                copy_from=form.cleaned_data["copy_from"],
                copy_groups=form.cleaned_data["copy_groups"] and form.cleaned_data["copy_from"] is not None,
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("已新建季度 %(code)s（准备）。") % {"code": quarter.code})
            return redirect("scoring:quarter_setup", quarter.code)
    return render(
        request,
        "scoring/quarter_create.html",
        {"form": form, "quarters": selectors.quarters_all(request.user)},
        status=form_status(form),
    )


@login_required
@require_GET
def quarter_setup(request, code: str):
    """What the quarter holds after its creation: what was copied, and the steps to open scoring."""
    quarter = access.quarter_for_dept(request.user, code)
    sections = selectors.scheme_sections(quarter)
    # the red/blue adjustment table (boards)
    parts = pages.page_context(pages.QUARTER_SETUP, quarter)
    has_cap = any(f.name == "contribution_cap" for f in Quarter._meta.get_fields())
    quarters = selectors.quarters_all(request.user)
    return render(
        request,
        "scoring/quarter_setup.html",
        {
            "quarter": quarter,
            "quarters": quarters,
            "source": next((q for q in quarters if q.pk == quarter.copied_from_id), None),
            "totals": selectors.category_totals(sections),
            "groups": selectors.quarter_groups(quarter),
            **parts,
            "has_cap": has_cap,
            "cap": getattr(quarter, "contribution_cap", None),
            "can_open": quarter.can_transition_to(Quarter.Status.SCORING),
        },
    )


# --- the scheme editor ---------------------------------------------------------------------------------


@login_required
@require_GET
def scheme(request, code: str):
    quarter = access.quarter_for_dept(request.user, code)
    sections = selectors.scheme_sections(quarter)
    return render(
        request,
        "scoring/scheme.html",
        {
            "quarter": quarter,
            "quarters": selectors.quarters_all(request.user),
            "sections": sections,
            "totals": selectors.category_totals(sections),
            "editable": not quarter.scheme_is_frozen,
            "has_units_below": quarter.unit.numchild > 0,
        },
    )


@login_required
@require_POST
def template_publish(request, code: str):
    """Publish the quarter's scheme as the template for the units below (or withdraw it)."""
    quarter = access.quarter_for_dept(request.user, code)
    withdraw = request.POST.get("withdraw") == "1"
    try:
        template_publish_service(quarter=quarter, is_template=not withdraw)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            _("已撤回 %(code)s 的下级单位模板。") % {"code": quarter.code}
            if withdraw
            else _("已将 %(code)s 的考核指标体系发布为下级单位模板。") % {"code": quarter.code},
        )
    return redirect("scoring:scheme", quarter.code)


def _section_title(category: str) -> str:
    if not category:
        return _("五个标准化（各类别通用）")
    return _("%(category)s特色指标") % {"category": Category(category).label}


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, code: str):
    quarter = access.quarter_for_dept(request.user, code)
    category = request.GET.get("category", "")
    if category not in ("", *Category.values):
        raise Http404
    return _indicator_form(request, Indicator(quarter=quarter, category=category))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    return _indicator_form(request, access.indicator_for_dept(request.user, pk))


def _indicator_form(request, indicator: Indicator):
    """Add (an unsaved `indicator` carrying its quarter and section) or edit an indicator."""
    quarter = indicator.quarter
    if quarter.scheme_is_frozen:
        return _frozen_refusal(request, quarter)
    is_new = indicator.pk is None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_save(indicator=form.save(commit=False), actor=request.user)
        except services.SchemeFrozen:
            return _frozen_refusal(request, quarter)
        except ValidationError as error:
            if is_new:
                indicator.pk = None
            apply_errors(form, error)
        else:
            message = _("已添加指标“%(name)s”。") if is_new else _("已保存指标“%(name)s”。")
            messages.success(request, message % {"name": indicator.name})
            return redirect(_scheme_url(indicator))
    return render(
        request,
        "scoring/indicator_form.html",
        {
            "form": form,
            "quarter": quarter,
            "indicator": None if is_new else indicator,
            "section": selectors.section_title(indicator.category),
        },
        status=form_status(form),
    )


@login_required
@require_POST
def indicator_delete(request, pk: int):
    indicator = access.indicator_for_dept(request.user, pk)
    try:
        services.indicator_delete(indicator=indicator, actor=request.user)
    except services.SchemeFrozen:
        return _frozen_refusal(request, indicator.quarter)
    messages.success(request, _("已删除指标“%(name)s”。") % {"name": indicator.name})
    return redirect("scoring:scheme", indicator.quarter.code)


@login_required
@require_POST
def indicator_move(request, pk: int):
    indicator = access.indicator_for_dept(request.user, pk)
    try:
        services.indicator_move(indicator=indicator, up=request.POST.get("direction") == "up", actor=request.user)
    except services.SchemeFrozen:
        return _frozen_refusal(request, indicator.quarter)
    return redirect(_scheme_url(indicator))


@login_required
@require_http_methods(["GET", "POST"])
def deduction_create(request, pk: int):
    indicator = access.indicator_for_dept(request.user, pk)
    return _deduction_form(request, indicator, DeductionItem(indicator=indicator))


@login_required
@require_http_methods(["GET", "POST"])
def deduction_edit(request, pk: int):
    item = access.deduction_for_dept(request.user, pk)
    return _deduction_form(request, item.indicator, item)


def _deduction_form(request, indicator: Indicator, item: DeductionItem):
    if indicator.quarter.scheme_is_frozen:
        return _frozen_refusal(request, indicator.quarter)
    is_new = item.pk is None
    form = DeductionItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.deduction_save(item=form.save(commit=False), actor=request.user)
        except services.SchemeFrozen:
            return _frozen_refusal(request, indicator.quarter)
        except ValidationError as error:
            if is_new:
                item.pk = None
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("已保存“%(indicator)s”的扣分标准：%(rule)s。") % {"indicator": indicator.name, "rule": item},
            )
            return redirect(_scheme_url(indicator))
    return render(
        request,
        "scoring/deduction_form.html",
        {"form": form, "quarter": indicator.quarter, "indicator": indicator, "item": None if is_new else item},
        status=form_status(form),
    )


@login_required
@require_POST
def deduction_delete(request, pk: int):
    item = access.deduction_for_dept(request.user, pk)
    indicator = item.indicator
    try:
        services.deduction_delete(item=item, actor=request.user)
    except services.SchemeFrozen:
        return _frozen_refusal(request, indicator.quarter)
    messages.success(request, _("已删除扣分标准“%(item)s”。") % {"item": item.description})
    return redirect(_scheme_url(indicator))


@login_required
@require_POST
def deduction_move(request, pk: int):
    item = access.deduction_for_dept(request.user, pk)
    try:
        services.deduction_move(item=item, up=request.POST.get("direction") == "up", actor=request.user)
    except services.SchemeFrozen:
        return _frozen_refusal(request, item.indicator.quarter)
    return redirect(_scheme_url(item.indicator))
