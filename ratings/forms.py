"""The star rule's form (星级评定标准): one minimum average and one blue-board box per level."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ratings.rules import StarLevelRule

AVERAGE_ERRORS = {
    "required": _("请填写平均总分。"),
    "invalid": _("请输入数字，例如 95 或 92.5。"),
    "max_decimal_places": _("最多保留两位小数。"),
    "max_digits": _("数字太长。"),
    "max_value": _("不能超过 %(limit_value)s 分。"),
    "min_value": _("不能低于 %(limit_value)s 分。"),
}


class StarRuleForm(forms.Form):
    """Fields min_average_<stars> and no_blue_<stars>, five stars first."""

    def __init__(self, *args, levels: list[StarLevelRule], **kwargs):
        super().__init__(*args, **kwargs)
        self.stars = [lv.stars for lv in levels]
        for level in levels:
            self.fields[f"min_average_{level.stars}"] = forms.DecimalField(
                label=_("%(n)s 星：近四个已发布季度平均总分不低于") % {"n": level.stars},
                max_digits=5,
                decimal_places=2,
                min_value=Decimal("0"),
                max_value=Decimal("200"),
                initial=level.min_average,
                error_messages=AVERAGE_ERRORS,
            )
            self.fields[f"no_blue_{level.stars}"] = forms.BooleanField(
                label=_("%(n)s 星：期间不得上蓝榜") % {"n": level.stars}, required=False, initial=level.no_blue
            )
        self.helper = FormHelper()
        self.helper.form_id = "star-rule-form"
        self.helper.add_input(Submit("submit", _("保存星级评定标准")))

    def levels(self) -> list[StarLevelRule]:
        data = self.cleaned_data
        return [StarLevelRule(s, data[f"min_average_{s}"], data[f"no_blue_{s}"]) for s in self.stars]
