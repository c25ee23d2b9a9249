"""Forms only validate; the work is done in reports.services and reports.imports."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from branches import units as unit_tree
from reports.models import ReportKind
from reports.safety import MAX_UPLOAD_BYTES
from reports.selectors import PUBLISHED_KINDS
from scoring.models import InspectionGroup, Quarter


def _xlsx_file(upload):
    if not upload.name.lower().endswith(".xlsx"):
        raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。"))
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("文件过大（上限 %(mb)s MB）。") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
    return upload


class ExportForm(forms.Form):
    # The roll-up is asked for from its own page, with its unit (reports.rollup.rollup_export).
    kind = forms.ChoiceField(label=_("报表"), choices=[c for c in ReportKind.choices if c[0] != ReportKind.ROLLUP])
    quarter = forms.ModelChoiceField(label=_("季度"), queryset=Quarter.objects.all(), to_field_name="code")

    # A unit below the user's: its published quarters, the published board's reports only.
    # ("unit" is the dashboard's own filter, a 所属单位 of the user's evaluating unit.)
    quarter_unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.below = False
        if user is not None:  # a code names a quarter of the user's own evaluating unit
            self.fields["quarter"].queryset = Quarter.objects.run_by(user)
            raw = str(self.data.get("quarter_unit") or "")
            home = unit_tree.home_unit(user)
            if raw.isdigit() and int(raw) != (home.pk if home else None):
                self.below = True
                self.fields["quarter"].queryset = (
                    Quarter.objects.visible_to(user).published().filter(unit_id=int(raw)).exclude(unit=home)
                )

    def clean(self):
        data = super().clean()
        if self.below and data.get("kind") not in PUBLISHED_KINDS:
            self.add_error("kind", _("下级单位的季度只能导出已发布的红蓝榜和绩效加扣分。"))
        return data


class ScoreImportForm(forms.Form):
    quarter = forms.ModelChoiceField(
        label=_("季度"),
        queryset=Quarter.objects.filter(status=Quarter.Status.SCORING),
        to_field_name="code",
        empty_label=None,
        help_text=_("只有“评分中”的季度可以导入评分。"),
    )
    group = forms.ModelChoiceField(
        label=_("录入方"),
        queryset=InspectionGroup.objects.select_related("quarter").order_by("quarter", "name"),
        required=False,
        empty_label=_("党建部（不经检查组）"),
        help_text=_("选择检查组时，只能导入分配给该组的党组织。"),
    )
    file = forms.FileField(label=_("评分文件（.xlsx）"), help_text=_("使用本系统下载的评分模板填写。"))
    submit = forms.BooleanField(
        label=_("提交"),
        required=False,
        help_text=_(
            "勾选后，文件中所有指标均已评分的评分表将一并提交（提交后才计入红蓝榜）；未填全的仍为草稿。"
            "不勾选时，导入的评分表都是草稿。"
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:  # the user's own evaluating unit's quarters and groups only
            self.fields["quarter"].queryset = Quarter.objects.run_by(user).filter(status=Quarter.Status.SCORING)
            self.fields["group"].queryset = self.fields["group"].queryset.filter(
                quarter__in=Quarter.objects.run_by(user)
            )
        self.fields["group"].label_from_instance = lambda g: f"{g.quarter.code} {g.name}"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        return _xlsx_file(self.cleaned_data["file"])

    def clean(self):
        data = super().clean()
        quarter, group = data.get("quarter"), data.get("group")
        if quarter and group and group.quarter_id != quarter.pk:
            self.add_error("group", _("该检查组不属于所选季度。"))
        return data


class _ListImportForm(forms.Form):
    """One .xlsx list to import (users, branches, units): the subclass names it in `file`'s label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        return _xlsx_file(self.cleaned_data["file"])


class UserImportForm(_ListImportForm):
    file = forms.FileField(label=_("用户名单（.xlsx）"))


class BranchImportForm(_ListImportForm):
    file = forms.FileField(label=_("党组织名单（.xlsx）"))


class UnitImportForm(_ListImportForm):
    file = forms.FileField(label=_("单位名单（.xlsx）"))
