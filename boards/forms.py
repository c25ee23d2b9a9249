"""Forms for the board. They only validate; the services decide."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from boards.models import Board
from branches.models import Category

POINTS_ERRORS = {
    "required": _("请填写加扣分。"),
    "invalid": _("请输入数字，例如 1.5 或 -0.5。"),
    "max_decimal_places": _("最多保留两位小数。"),
    "max_digits": _("数字太长：整数部分最多两位、小数最多两位。"),
    "max_value": _("不能超过 %(limit_value)s 分。"),
    "min_value": _("不能低于 %(limit_value)s 分。"),
}


class AdjustmentTableForm(forms.Form):
    """月度绩效加扣分标准: one field per category × board, named c<category>_<board>."""

    def __init__(self, *args, table: dict[tuple[str, str], Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        for category in Category:
            for board in Board:
                name = f"c{category.value}_{board.value}"
                self.fields[name] = forms.DecimalField(
                    label=_("%(category)s · %(board)s") % {"category": category.label, "board": board.label},
                    max_digits=4,
                    decimal_places=2,
                    min_value=Decimal("-10") if board == Board.BLUE else Decimal("0"),
                    max_value=Decimal("0") if board == Board.BLUE else Decimal("10"),
                    initial=table.get((category.value, board.value), Decimal("0")),
                    error_messages=POINTS_ERRORS,
                    help_text=_("加分填正数，如 1.5") if board == Board.RED else _("扣分填负数，如 -1.5"),
                    widget=forms.NumberInput(attrs={"step": "0.01"}),
                )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("保存加扣分标准")))

    def points(self) -> dict[tuple[str, str], Decimal]:
        return {
            (category.value, board.value): self.cleaned_data[f"c{category.value}_{board.value}"]
            for category in Category
            for board in Board
        }


class ExclusionForm(forms.Form):
    """不参加排名: an unscored branch, and the written reason shown on the board."""

    branch = forms.TypedChoiceField(
        label=_("党组织"),
        coerce=int,
        error_messages={"required": _("请选择党组织。"), "invalid_choice": _("请选择列表中的未完成评分党组织。")},
    )
    reason = forms.CharField(
        label=_("不参加排名的原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请写明不参加排名的原因。")},
        help_text=_("该原因将随红蓝榜一并公布。"),
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [("", _("请选择")), *choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
