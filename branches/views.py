from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from branches.home import home_sections


@login_required
def home(request):
    """The role-aware home page: each user sees what is theirs to do."""
    return render(request, "home.html", {"sections": home_sections(request.user)})
