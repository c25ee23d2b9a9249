"""Admin views of interviews and rectification: for reading and correcting records. The status of an
item moves only through the portal's pages (interviews.services), so it is read-only here."""

from __future__ import annotations

from django.contrib import admin

from interviews.models import Evidence, Interview, ItemEvent, LookBack, LookBackResult, RectificationItem, Reminder


class RectificationItemInline(admin.TabularInline):
    model = RectificationItem
    fields = ["position", "description", "measure", "deadline", "responsible", "status"]
    readonly_fields = ["status"]
    extra = 0
    show_change_link = True


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = [
        "quarter",
        "branch",
        "scheduled_at",
        "place",
        "interviewer",
        "interviewee",
        "rectification_closed_at",
    ]
    list_filter = ["quarter", "branch__category"]
    search_fields = ["branch__name", "place", "minutes"]
    list_select_related = ["quarter", "branch", "interviewer", "interviewee"]
    readonly_fields = ["quarter", "branch", "held_at", "rectification_closed_at", "created_at"]
    inlines = [RectificationItemInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class ItemEventInline(admin.TabularInline):
    model = ItemEvent
    fields = ["at", "user", "from_status", "to_status", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(RectificationItem)
class RectificationItemAdmin(admin.ModelAdmin):
    list_display = ["interview", "position", "description", "deadline", "responsible", "status"]
    list_filter = ["status", "interview__quarter"]
    search_fields = ["description", "measure", "interview__branch__name"]
    list_select_related = ["interview__quarter", "interview__branch"]
    readonly_fields = ["interview", "problem", "status", "return_reason", "accepted_at", "accepted_by"]
    inlines = [EvidenceInline, ItemEventInline]


class LookBackResultInline(admin.TabularInline):
    model = LookBackResult
    fields = ["item", "held", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(LookBack)
class LookBackAdmin(admin.ModelAdmin):
    list_display = ["interview", "scheduled_on", "conducted_at", "conducted_by"]
    list_select_related = ["interview__quarter", "interview__branch", "conducted_by"]
    readonly_fields = ["interview", "conducted_at", "conducted_by", "created_by"]
    inlines = [LookBackResultInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "kind", "item", "user"]
    list_filter = ["kind", "sent_on"]
    list_select_related = ["item", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
