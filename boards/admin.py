from __future__ import annotations

from django.contrib import admin

from boards.models import AdjustmentRule, BoardEntry, Exclusion


@admin.register(AdjustmentRule)
class AdjustmentRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "board", "points", "updated_by", "updated_at"]
    list_filter = ["category", "board"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ["branch", "quarter", "reason", "created_by", "created_at"]
    list_filter = ["quarter"]
    search_fields = ["branch__name", "reason"]
    list_select_related = ["branch", "quarter", "created_by"]


@admin.register(BoardEntry)
class BoardEntryAdmin(admin.ModelAdmin):
    """Published rows are a record: readable, never editable."""

    list_display = ["quarter", "category", "rank", "branch", "total", "board", "adjustment", "status"]
    list_filter = ["quarter", "category", "board", "status"]
    search_fields = ["branch__name"]
    list_select_related = ["quarter", "branch"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
