"""Member points pages (党员积分): thin views — parse, members.access, a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baiyin_eval.forms import add_service_errors
from branches import roles
from members import access, services
from members import selectors as points
from members.forms import MemberPointForm, PartyMemberForm


def _page(request, branch, *, point_form=None, member_form=None, status=200):
    # The quarter asked for; else the latest one with lines in the ledger; else the current one.
    current = points.quarter_of(timezone.localdate())
    with_lines = points.ledger_quarters(branch)
    year, number = points.parse_quarter(request.GET.get("quarter")) or (with_lines[0] if with_lines else current)
    keeper = access.is_keeper(request.user, branch)
    published = points.published_rankings(branch)
    if keeper:
        point_form = point_form or MemberPointForm(branch=branch, action=reverse("members:point_add", args=[branch.pk]))
        member_form = member_form or PartyMemberForm(action=reverse("members:member_add", args=[branch.pk]))
    end = points.quarter_dates(year, number)[1]
    return render(
        request,
        "members/member_points.html",
        {
            "branch": branch,
            "code": points.quarter_code(year, number),
            "quarters": [points.quarter_code(*q) for q in sorted({current, (year, number), *with_lines}, reverse=True)],
            "ranking": points.member_ranking(branch, year, number),
            "publication": published.get((year, number)),
            "published": sorted(published.values(), key=lambda r: (r.year, r.number), reverse=True),
            "can_publish": (keeper or roles.is_dept(request.user))
            and (year, number) not in published
            and end < timezone.localdate(),
            "ledger": points.ledger_page(branch, request.GET.get("page")),
            "keeper": keeper,
            "point_form": point_form,
            "member_form": member_form,
        },
        status=status,
    )


@require_GET
@login_required
def member_points(request, pk: int):
    """The branch's member ranking for a quarter, its published rankings, and the ledger."""
    branch = access.branch_for_points(request.user, pk)
    return _page(request, branch)


@require_POST
@login_required
def point_add(request, pk: int):
    branch = access.branch_for_points(request.user, pk, write=True)
    form = MemberPointForm(request.POST, branch=branch, action=reverse("members:point_add", args=[branch.pk]))
    if form.is_valid():
        data = form.cleaned_data
        try:
            line = services.member_point_record(
                member=data["member"],
                date=data["date"],
                points=data["points"],
                reason=data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("已为 %(name)s 记录 %(points)s 分。") % {"name": line.member.name, "points": line.points}
            )
            code = points.quarter_code(*points.quarter_of(line.date))
            return redirect(reverse("members:member_points", args=[branch.pk]) + f"?quarter={code}")
    return _page(request, branch, point_form=form, status=400)


@require_POST
@login_required
def member_add(request, pk: int):
    branch = access.branch_for_points(request.user, pk, write=True)
    form = PartyMemberForm(request.POST, action=reverse("members:member_add", args=[branch.pk]))
    if form.is_valid():
        try:
            member = services.party_member_create(
                branch=branch, name=form.cleaned_data["name"], duty=form.cleaned_data["duty"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记党员 %(name)s。") % {"name": member.name})
            return redirect("members:member_points", pk=branch.pk)
    return _page(request, branch, member_form=form, status=400)


@require_POST
@login_required
def ranking_publish(request, pk: int):
    branch = access.branch_for_ranking_publication(request.user, pk)
    parsed = points.parse_quarter(request.POST.get("quarter"))
    url = reverse("members:member_points", args=[branch.pk])
    if parsed is None:
        messages.error(request, _("请选择要发布的季度。"))
        return redirect(url)
    try:
        services.member_ranking_publish(branch=branch, year=parsed[0], number=parsed[1], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(code)s 党员积分排名已发布，将显示在积分看板上。") % {"code": points.quarter_code(*parsed)}
        )
    return redirect(url + f"?quarter={points.quarter_code(*parsed)}")
