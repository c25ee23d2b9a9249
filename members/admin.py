from __future__ import annotations

from django.contrib import admin

from members.models import MemberPoint, MemberRanking, PartyMember


class _LedgerAdmin(admin.ModelAdmin):
    """The member points ledger is kept by each branch's secretary on the portal (members.views);
    the admin only shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartyMember)
class PartyMemberAdmin(_LedgerAdmin):
    list_display = ["name", "branch", "duty", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "branch__name"]
    list_select_related = ["branch"]


@admin.register(MemberPoint)
class MemberPointAdmin(_LedgerAdmin):
    list_display = ["date", "member", "points", "reason", "recorded_by"]
    search_fields = ["member__name", "member__branch__name", "reason"]
    list_select_related = ["member", "recorded_by"]


@admin.register(MemberRanking)
class MemberRankingAdmin(_LedgerAdmin):
    list_display = ["branch", "year", "number", "published_by", "published_at"]
    list_select_related = ["branch", "published_by"]
