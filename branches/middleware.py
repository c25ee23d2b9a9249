"""`?unit=<id>` on any page: which evaluating unit's quarter a quarter code means (a province's
党建部 opening a city's board). Only a choice: access helpers still decide by the unit tree."""

from __future__ import annotations


class UnitChoiceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.GET.get("unit", "")
        user = getattr(request, "user", None)
        if raw.isdigit() and user is not None and user.is_authenticated:
            user.unit_choice = int(raw)
        return self.get_response(request)
