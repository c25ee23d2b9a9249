from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from scoring.models import (
    ContributionPoint,
    Indicator,
    InspectionGroup,
    Problem,
    Quarter,
    Score,
    ScoreChange,
    ScoreSheet,
)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["category", "code", "name", "max_score", "position", "guidance"]

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.scheme_is_frozen

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.scheme_is_frozen

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.scheme_is_frozen


@admin.register(Quarter)
class QuarterAdmin(admin.ModelAdmin):
    """A published quarter is a record: viewable, never changed or deleted, by any account. A quarter
    whose scoring has begun holds scores and cannot be deleted either (that would delete them)."""

    list_display = ["code", "status", "opened_at", "closed_at", "published_at", "published_by"]
    list_filter = ["status", "year"]
    search_fields = ["code"]
    # Status moves only through the portal's actions (services), never by editing the row.
    readonly_fields = ["code", "year", "number", "status", "opened_at", "closed_at", "published_at", "published_by"]
    inlines = [IndicatorInline]

    def has_add_permission(self, request):
        # New quarters copy the previous scheme: created by the create_quarter service.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.scheme_is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete would reach published quarters: quarters are deleted one at a time, if at all.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        # The contribution cap is set with the scheme and frozen with it once scoring opens.
        if obj is not None and obj.scheme_is_frozen:
            return [*self.readonly_fields, "contribution_cap"]
        return self.readonly_fields


class IndicatorForm(forms.ModelForm):
    """Refuses, as a form error, an indicator for a quarter whose scheme is frozen (scoring began)."""

    class Meta:
        model = Indicator
        fields = ["quarter", "category", "code", "name", "max_score", "guidance", "position"]

    def clean_quarter(self):
        quarter = self.cleaned_data["quarter"]
        if quarter is not None and quarter.scheme_is_frozen:
            raise ValidationError(
                _("季度 %(code)s 已开始评分，考核指标不能再增加或修改。"), params={"code": quarter.code}
            )
        return quarter


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["quarter", "category", "code", "name", "max_score", "position"]
    list_filter = ["quarter", "category"]
    search_fields = ["name", "code", "guidance"]
    list_select_related = ["quarter"]
    form = IndicatorForm

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.quarter.scheme_is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.quarter.scheme_is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        from scoring.services import SchemeFrozen, indicator_save

        try:
            indicator_save(indicator=obj, actor=request.user)
        except SchemeFrozen as error:
            # Scoring began between the form's check and the save: refused, not a server error.
            raise PermissionDenied(" ".join(error.messages)) from error

    def delete_model(self, request, obj):
        from scoring.services import SchemeFrozen, indicator_delete

        try:
            indicator_delete(indicator=obj, actor=request.user)
        except SchemeFrozen as error:
            raise PermissionDenied(" ".join(error.messages)) from error

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class PortalWritesOnly:
    """Shown in the admin for reading; written only through the portal's pages, whose services
    enforce the cross rule, the quarter's state and the sheet history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionGroup)
class InspectionGroupAdmin(PortalWritesOnly, admin.ModelAdmin):
    list_display = ["name", "quarter", "leader"]
    list_filter = ["quarter"]
    search_fields = ["name", "members__name"]
    filter_horizontal = ["members"]
    list_select_related = ["quarter", "leader"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(PortalWritesOnly, admin.ModelAdmin):
    list_display = ["branch", "quarter", "group", "status", "version", "submitted_at"]
    list_filter = ["quarter", "status", "group", "branch__category"]
    search_fields = ["branch__name"]
    list_select_related = ["branch", "quarter", "group"]
    readonly_fields = ["version"]


@admin.register(Score)
class ScoreAdmin(PortalWritesOnly, admin.ModelAdmin):
    """Scores change only through the score sheet, which keeps the history: read-only for everyone."""

    list_display = ["sheet", "indicator", "value", "methods"]
    list_filter = ["sheet__quarter", "indicator__category"]
    search_fields = ["sheet__branch__name", "indicator__name"]
    list_select_related = ["sheet__branch", "sheet__quarter", "sheet__group", "indicator"]


@admin.register(Problem)
class ProblemAdmin(PortalWritesOnly, admin.ModelAdmin):
    list_display = ["description", "sheet", "indicator", "created_by", "created_at"]
    list_filter = ["sheet__quarter", "indicator__category"]
    search_fields = ["description", "sheet__branch__name"]
    list_select_related = ["sheet__branch", "sheet__quarter", "sheet__group", "indicator", "created_by"]


@admin.register(ScoreChange)
class ScoreChangeAdmin(PortalWritesOnly, admin.ModelAdmin):
    """The score history (评分修改记录): a record, read-only for everyone."""

    list_display = ["at", "sheet", "indicator", "field", "old", "new", "user"]
    list_filter = ["sheet__quarter", "field"]
    search_fields = ["sheet__branch__name", "user__name"]
    list_select_related = ["sheet__branch", "sheet__quarter", "sheet__group", "indicator", "user"]


@admin.register(ContributionPoint)
class ContributionPointAdmin(PortalWritesOnly, admin.ModelAdmin):
    list_display = ["branch", "quarter", "points", "reason", "created_by"]
    list_filter = ["quarter", "branch__category"]
    search_fields = ["branch__name", "reason"]
    list_select_related = ["branch", "quarter", "created_by"]


admin.site.empty_value_display = _("（无）")
