from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.exceptions import InvalidMoveToDescendant, InvalidPosition, PathOverflow
from treebeard.forms import movenodeform_factory

from branches import units
from branches.accounts import user_deactivate
from branches.category_locks import category_change_refusal
from branches.models import Branch, Notice, Unit, User


class UnitAdminForm(movenodeform_factory(Unit, fields=["name", "is_evaluating"])):  # type: ignore[misc]
    def clean(self):
        """A change of place or of 考评单位 passes branches.units.unit_change_refusal before treebeard
        moves anything (its form moves while saving)."""
        cleaned = super().clean()
        stored = Unit.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if stored is None or "treebeard_position" not in cleaned:
            return cleaned
        ref = cleaned.get("treebeard_ref_node")
        parent = (
            None if ref is None else ref if cleaned["treebeard_position"].endswith("child") else units.parent_of(ref)
        )
        if reason := units.unit_change_refusal(stored, parent, cleaned.get("is_evaluating", stored.is_evaluating)):
            raise forms.ValidationError(reason)
        return cleaned


class UnitMoveForm(forms.Form):
    """treebeard's drag and drop (TreeAdmin.move_node): a node, a target and child or sibling."""

    node = forms.ModelChoiceField(queryset=Unit.objects.all())
    target = forms.ModelChoiceField(queryset=Unit.objects.all())
    relation = forms.ChoiceField(choices=(("child", "child"), ("sibling", "sibling")))


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    """The unit tree, with treebeard's drag-and-drop; the evaluating units below follow each change
    (branches.units: unit_move for a drag, refresh_evaluating_units after the form)."""

    form = UnitAdminForm
    list_display = ["name", "is_evaluating", "evaluating_unit"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()
        units.refresh_evaluating_units(obj)

    def move_node(self, request):
        """treebeard's drag and drop, through branches.units.unit_move: refused with the reason (the
        page reloads and shows it), or moved with everything below it kept right."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        form = UnitMoveForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("移动请求无效。"))
        node, target = form.cleaned_data["node"], form.cleaned_data["target"]
        if not self.has_change_permission(request, node):
            raise PermissionDenied
        position = "last-child" if form.cleaned_data["relation"] == "child" else "left"
        try:
            units.unit_move(unit=node, target=target, position=position)
        except (ValidationError, InvalidMoveToDescendant, InvalidPosition, PathOverflow) as exc:
            reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, reason)
            return HttpResponseBadRequest(reason)
        messages.info(request, _("已移动单位“%(node)s”。") % {"node": node.name})
        return HttpResponse("OK")


class BranchAdminForm(forms.ModelForm):
    class Meta:
        model = Branch
        fields = ["name", "category", "kind", "unit", "parent", "secretary", "is_active"]

    def clean_category(self):
        """The board a branch is ranked on cannot change while a quarter including it is scored."""
        category = self.cleaned_data["category"]
        stored = Branch.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if stored is not None and category != stored.category and (reason := category_change_refusal(stored, category)):
            raise forms.ValidationError(reason)
        return category

    def clean(self):
        """A name is unique within the evaluating unit; a move passes the checks of branch_move."""
        cleaned = super().clean()
        unit, name = cleaned.get("unit"), cleaned.get("name")
        if unit is None or not name:
            return cleaned
        if unit.evaluating_unit_id is None:
            raise forms.ValidationError(_("单位“%(name)s”之上没有考评单位。") % {"name": unit.name})
        taken = Branch.objects.filter(evaluating_unit_id=unit.evaluating_unit_id, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("考评单位“%(unit)s”已有党组织“%(name)s”，名称在同一考评单位内不能重复。")
                % {"unit": unit.evaluating_unit.name, "name": name}
            )
        if self.instance.pk and self.instance.unit_id != unit.pk:
            for check in units.BRANCH_MOVE_CHECKS:
                if reason := check(self.instance, unit):
                    raise forms.ValidationError(reason)
        return cleaned


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    form = BranchAdminForm
    list_display = ["name", "category", "kind", "unit", "parent", "secretary", "is_active"]
    list_filter = ["category", "kind", "is_active", "unit"]
    search_fields = ["name", "unit__name", "secretary__name", "secretary__username"]
    list_select_related = ["unit", "parent", "secretary"]
    autocomplete_fields = ["unit", "parent", "secretary"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "branch", "unit", "role_list", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_emergency_admin", "branch__category"]
    search_fields = ["username", "name", "branch__name"]
    list_select_related = ["branch", "unit"]
    autocomplete_fields = ["branch", "unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "branch", "unit", "email")}),
        (_("角色与权限"), {"fields": ("is_active", "is_staff", "is_superuser", "is_emergency_admin", "groups")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "branch", "password1", "password2")}),
    )

    actions = ["deactivate_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: their scores, problems and audit rows keep the author.
        return False

    @admin.action(description=_("停用所选账号（不删除，历史记录保留作者）"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        for user in queryset:
            user_deactivate(user=user)
        self.message_user(request, _("已停用 %(n)s 个账号。") % {"n": len(queryset)})

    @admin.display(description=_("角色"))
    def role_list(self, obj: User) -> str:
        return "、".join(g.name for g in obj.groups.all())


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["user", "message", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["message", "user__name", "user__username"]
    list_select_related = ["user"]
