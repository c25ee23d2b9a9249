from __future__ import annotations

from django.contrib import admin

from boards.models import (
    AdjustmentRule,
    BoardEntry,
    BoardScore,
    Exclusion,
    PublishedIndicator,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Changes go through the portal's pages and services (which check quarter status and signs);
    the admin only shows the rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdjustmentRule)
class AdjustmentRuleAdmin(ReadOnlyAdmin):
    """Edited on the portal's 绩效加扣分标准 page (boards:adjustments)."""

    list_display = ["unit", "category", "board", "points", "updated_by", "updated_at"]
    list_filter = ["unit", "category", "board"]


@admin.register(Exclusion)
class ExclusionAdmin(ReadOnlyAdmin):
    """Made on the quarter's preview page, only for unscored branches and before publication."""

    list_display = ["branch", "quarter", "reason", "created_by", "created_at"]
    list_filter = ["quarter"]
    search_fields = ["branch__name", "reason"]
    list_select_related = ["branch", "quarter", "created_by"]


@admin.register(BoardEntry)
class BoardEntryAdmin(ReadOnlyAdmin):
    """Published rows are a record: readable, never editable."""

    list_display = ["quarter", "category", "rank", "branch_name", "unit_name", "total", "board", "adjustment", "status"]
    list_filter = ["quarter", "category", "board", "status"]
    search_fields = ["branch_name"]
    list_select_related = ["quarter"]


@admin.register(PublishedIndicator)
class PublishedIndicatorAdmin(ReadOnlyAdmin):
    """The scheme as a quarter was published with it: a record, never edited."""

    list_display = ["quarter", "category", "code", "name", "max_score", "position"]
    list_filter = ["quarter", "category"]
    list_select_related = ["quarter"]


@admin.register(BoardScore)
class BoardScoreAdmin(ReadOnlyAdmin):
    """Each branch's per-indicator score as published: a record, never edited."""

    list_display = ["quarter", "branch", "indicator", "value"]
    list_filter = ["quarter"]
    search_fields = ["branch__name", "indicator__code"]
    list_select_related = ["quarter", "branch", "indicator"]
