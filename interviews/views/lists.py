"""The lists: every interview the user may see, 党建部's overview, the secretary's shortcut."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from interviews import access, selectors

PAGE_SIZE = 50


@login_required
def interview_list(request):
    """Every interview the user may see, with progress; overdue counts in red."""
    qs = access.visible_interviews(request.user)
    if not access.reads_all(request.user) and not access.secretary_branch_ids(request.user):
        raise PermissionDenied(_("您没有权限查看约谈与整改。"))
    to_hold = request.GET.get("to_hold") == "1"
    listed = selectors.interviews_with_progress(qs)
    if to_hold:  # the home card's "全部待约谈": scheduled first, then those without a time
        listed = selectors.to_hold_order(listed)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"interviews": page.object_list, "page": page, "to_hold": to_hold}
    return render(request, "interviews/list.html", {**context, "several_units": _several_units(page)})


@login_required
def overview(request):
    """党建部 and leadership: open rectifications, overdue counts, branches repeatedly on the blue board."""
    if not access.reads_all(request.user):
        raise PermissionDenied(_("整改总览仅对党建部和党委领导开放。"))
    context = selectors.overview(request.user)
    page = Paginator(context.pop("open_interviews"), PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(open_interviews=page.object_list, page=page, several_units=_several_units(page))
    return render(request, "interviews/overview.html", context)


def _several_units(page) -> bool:
    """Whether the page's interviews are of more than one unit (a province's): then each names its
    unit, as the boards' quarter list does — two cities' 营销部党支部 are two rows."""
    return len({interview.quarter.unit_id for interview in page.object_list}) > 1


@login_required
def my_checklist(request):
    """The secretary's shortcut: their branch's latest interview, or the list when there are several."""
    interviews = list(
        access.visible_interviews(request.user)
        .filter(branch_id__in=access.secretary_branch_ids(request.user))
        .order_by("-quarter__year", "-quarter__number")[:2]
    )
    if len(interviews) == 1:
        return redirect(interviews[0])
    if not interviews:
        return render(request, "interviews/none.html")
    return redirect("interviews:list")
