"""The calibration form. It only validates; scoring.services decides."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class CalibrationForm(forms.Form):
    """校准党组织: the branch every group will score."""

    branch = forms.TypedChoiceField(
        label=_("党组织"),
        coerce=int,
        error_messages={"required": _("请选择党组织。"), "invalid_choice": _("请选择列表中的党组织。")},
    )

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [("", _("请选择…")), *choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
