"""Forms for the member points ledger. They only validate; members.services decide."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from members.models import PartyMember


class MemberPointForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("党员"),
        queryset=PartyMember.objects.none(),
        error_messages={"required": _("请选择党员。"), "invalid_choice": _("请选择本支部在册党员。")},
    )
    date = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写日期。"), "invalid": _("日期格式应为 2019-03-15。")},
    )
    points = forms.DecimalField(
        label=_("积分（扣分填负数）"),
        max_digits=5,
        decimal_places=1,
        error_messages={
            "required": _("请填写积分。"),
            "invalid": _("请输入数字，例如 2 或 -1.5。"),
            "max_decimal_places": _("最多保留一位小数。"),
            "max_digits": _("数字太长。"),
        },
    )
    reason = forms.CharField(label=_("事由"), max_length=200, error_messages={"required": _("请写明加扣分事由。")})

    def __init__(self, *args, branch: Branch, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = PartyMember.objects.filter(branch=branch, is_active=True).order_by("name")
        self.fields["date"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "member-point-form"
        self.helper.add_input(Submit("submit", _("记录积分")))


class PartyMemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写党员姓名。")})
    duty = forms.CharField(label=_("职务"), max_length=50, required=False)

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.form_id = "party-member-form"
        self.helper.add_input(Submit("submit", _("登记党员")))
