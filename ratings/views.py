"""The star rule page (星级评定标准): everyone reads it, 党建部 edits it. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baiyin_eval.forms import add_service_errors
from boards import access
from branches import roles
from ratings.forms import StarRuleForm
from ratings.rules import WINDOW
from ratings.selectors import star_levels
from ratings.services import star_levels_update


@require_GET
@login_required
def stars_page(request):
    """The star rule, for everyone to read; 党建部 edits it."""
    levels = star_levels()
    form = StarRuleForm(levels=levels) if roles.is_dept(request.user) else None
    return render(request, "ratings/stars.html", {"levels": levels, "form": form, "window": WINDOW})


@require_POST
@login_required
def stars_save(request):
    access.require_dept(request.user)
    levels = star_levels()
    form = StarRuleForm(request.POST, levels=levels)
    if form.is_valid():
        try:
            changed = star_levels_update(levels=form.levels(), user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("星级评定标准已保存（修改 %(n)s 项），自下次发布红蓝榜起生效；已评定的星级不变。") % {"n": changed}
                if changed
                else _("星级评定标准没有变化。"),
            )
            return redirect("ratings:stars")
    return render(request, "ratings/stars.html", {"levels": levels, "form": form, "window": WINDOW}, status=400)
