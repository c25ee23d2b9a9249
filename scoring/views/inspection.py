"""The inspectors' pages: my groups, a group's branches, the score sheet."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from branches import roles
from scoring import access, selectors, services
from scoring.forms import (
    ProblemFormSet,
    ReturnForm,
    ScoreSheetForm,
    new_problems,
)

# --- entry points ------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """/scoring/: 党建部 to the current quarter, inspectors to their groups."""
    if roles.is_dept(request.user):
        quarter = selectors.quarter_current(request.user)
        if quarter is not None:
            return redirect("scoring:quarter_overview", quarter.code)
    return redirect("scoring:my_groups")


def _current_quarter_redirect(request, view_name: str):
    access.require_dept(request.user)
    quarter = selectors.quarter_current(request.user)
    if quarter is None:
        messages.info(request, _("还没有考评季度。"))
        return redirect("home")
    return redirect(view_name, quarter.code)


@login_required
@require_GET
def groups_current(request):
    return _current_quarter_redirect(request, "scoring:quarter_groups")


@login_required
@require_GET
def contributions_current(request):
    return _current_quarter_redirect(request, "scoring:contributions")


# --- inspectors ----------------------------------------------------------------------------------------


@login_required
@require_GET
def my_groups(request):
    return render(
        request,
        "scoring/my_groups.html",
        {
            "progress": selectors.inspector_groups(request.user),
            "returned": selectors.inspector_returned_sheets(request.user),
        },
    )


@login_required
@require_GET
def group_detail(request, pk: int):
    group = access.group_for_reader(request.user, pk)
    sheets = selectors.group_sheets(group)
    is_member = access.is_group_member(request.user, group.pk)
    own = access.own_branch_ids(request.user) if is_member else set()  # members stand aside from their own
    return render(
        request,
        "scoring/group_detail.html",
        {
            "group": group,
            "quarter": group.quarter,
            "members": list(group.members.select_related("branch").order_by("name")),
            "sheets": sheets,
            "own_branch_ids": own,
            "is_member": is_member,
        },
    )


def _sheet_page(request, sheet, *, form=None, formset=None, stale=None, status=200):
    """Render the score sheet, editable for the group while writable, read-only otherwise."""
    indicators, scores = selectors.sheet_scores(sheet)
    problems = selectors.sheet_problems(sheet)
    editable = access.sheet_writable_by(request.user, sheet)
    if form is None:
        form = ScoreSheetForm(
            initial=ScoreSheetForm.initial_for(sheet.version, scores), indicators=indicators, problems=problems
        )
    if formset is None:
        formset = ProblemFormSet(prefix="problem", form_kwargs={"indicators": indicators})
    # Sets .proposed on the indicators the rows are drawn from (the form's own on a re-render).
    deduction_table = selectors.sheet_deduction_table(form.indicators, problems)
    can_read_all = roles.can_read_everything(request.user)
    context = {
        "sheet": sheet,
        "quarter": sheet.quarter,
        "form": form,
        "formset": formset,
        "scores": scores,
        "problems": problems,
        "deduction_json": json.dumps(deduction_table),
        "editable": editable,
        "max_total": sum((i.max_score for i in indicators), start=0),
        "total": sum((s.value for s in scores.values() if s.value is not None), start=0),
        "scored": sum(1 for i in indicators if i.pk in scores and scores[i.pk].value is not None),
        "stale": stale,
        # The last version someone else saved: a local draft typed on it or later was overtaken only
        # by the editor's own saves (scoresheet-draft.js says so instead of naming "others").
        "others_version": selectors.sheet_last_version_by_others(sheet, request.user) if editable else 0,
        "show_history": can_read_all,
        "history": selectors.sheet_history(sheet) if can_read_all else [],
        "can_return": roles.is_dept(request.user) and sheet.is_submitted and sheet.quarter.is_scoring,
        "return_form": ReturnForm(),
    }
    return render(request, "scoring/sheet.html", context, status=status)


@login_required
@require_GET
def sheet_detail(request, pk: int):
    return _sheet_page(request, access.sheet_for_reader(request.user, pk))


def _save(request, sheet, form, formset, *, submit: bool) -> int:
    return services.sheet_save(
        sheet=sheet,
        actor=request.user,
        base_version=form.cleaned_data["version"],
        entries=form.entries(),
        add_problems=new_problems(formset),
        remove_problems=[int(p) for p in form.cleaned_data["remove_problems"]],
        submit=submit,
    )


@login_required
@require_POST
def sheet_save(request, pk: int):
    """Save the draft (action=save) or save and submit (action=submit)."""
    sheet = access.sheet_for_writer(request.user, pk)
    submit = request.POST.get("action") == "submit"
    indicators = selectors.scheme_with_deductions(sheet.quarter, sheet.branch.category)
    problems = selectors.sheet_problems(sheet)
    form = ScoreSheetForm(request.POST, indicators=indicators, problems=problems)
    formset = ProblemFormSet(request.POST, prefix="problem", form_kwargs={"indicators": indicators})
    if sheet.is_submitted:
        if submit:
            messages.info(request, services.ALREADY_SUBMITTED)
        else:
            messages.error(request, services.READ_ONLY)
        return redirect("scoring:sheet", sheet.pk)
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, _("有填写错误，请按各项下方的提示修改后再保存。本次没有保存任何内容。"))
        return _sheet_page(request, sheet, form=form, formset=formset, status=400)
    try:
        try:
            n = _save(request, sheet, form, formset, submit=submit)
        except services.OwnSavesSince as own:
            # Only this inspector saved since (another tab or device): merge, so what this page left
            # untouched keeps his other save, and save again — once; anyone else since is a 409 below.
            data, _conflicts = services.sheet_input_merge(
                post=request.POST, stale=own, scores=selectors.sheet_scores(sheet)[1], problems=problems
            )
            form = ScoreSheetForm(data, indicators=indicators, problems=problems)
            formset = ProblemFormSet(data, prefix="problem", form_kwargs={"indicators": indicators})
            if not (form.is_valid() and formset.is_valid()):
                return _sheet_page(request, sheet, form=form, formset=formset, status=400)
            n = _save(request, sheet, form, formset, submit=submit)
    except services.AlreadySubmitted as error:
        messages.info(request, error.messages[0])
        return redirect("scoring:sheet", sheet.pk)
    except services.StaleSheet as stale:
        problems = selectors.sheet_problems(sheet)
        data, stale.conflicts = services.sheet_input_merge(
            post=form.data, stale=stale, scores=selectors.sheet_scores(sheet)[1], problems=problems
        )
        form = ScoreSheetForm(data, indicators=indicators, problems=problems)
        formset = ProblemFormSet(data, prefix="problem", form_kwargs={"indicators": indicators})
        form.is_valid()
        formset.is_valid()
        sheet.refresh_from_db()
        return _sheet_page(request, sheet, form=form, formset=formset, stale=stale, status=409)
    except services.OverrideNeedsNote as error:
        for indicator_id, proposed in error.proposals.items():
            form.add_error(
                f"note_{indicator_id}",
                _("得分与建议得分 %(proposed)s 分不同，请在此说明理由。")
                % {"proposed": services.canonical_score(proposed)},
            )
        messages.error(request, error.messages[0])
        return _sheet_page(request, sheet, form=form, formset=formset, status=400)
    except services.IncompleteSheet as error:
        missing = {i.pk for i in error.missing}
        for indicator_id in missing:
            form.add_error(f"score_{indicator_id}", _("提交前请为本项评分。"))
        messages.error(request, error.messages[0])
        return _sheet_page(request, sheet, form=form, formset=formset, status=400)
    except services.SheetLocked as error:  # submitted or closed meanwhile
        messages.error(request, error.messages[0])
        return redirect("scoring:sheet", sheet.pk)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return _sheet_page(request, sheet, form=form, formset=formset, status=400)
    if submit:
        messages.success(request, _("评分表已提交。提交后本组只能查看，如需修改请联系党建部退回。"))
        return redirect("scoring:group_detail", sheet.group_id)
    messages.success(request, _("草稿已保存（%(n)s 处修改）。") % {"n": n} if n else _("没有需要保存的修改。"))
    return redirect("scoring:sheet", sheet.pk)
