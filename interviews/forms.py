"""Forms only validate input; services do the work."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import roles
from branches.models import User
from interviews.evidence import allowed_extensions_label, max_bytes, validate_evidence
from interviews.models import RectificationItem


def _helper(submit: str, action: str = "", css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    if action:
        helper.form_action = action
    button = Submit("submit", submit)
    button.field_classes = f"btn {css}"  # Submit's own "btn-primary" would fight an outline style
    helper.add_input(button)
    return helper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("约谈时间"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("约谈地点"), max_length=100)
    interviewer = forms.ModelChoiceField(label=_("约谈人"), queryset=User.objects.none(), required=False)
    interviewee = forms.ModelChoiceField(label=_("被约谈人"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, interview=None, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        active = User.objects.filter(is_active=True).order_by("username")
        # Interviewers come from the committee (党委领导) and 党建部; the interviewee from the branch.
        self.fields["interviewer"].queryset = active.filter(groups__name__in=[roles.LEADER, roles.DEPT]).distinct()
        if interview is not None:
            self.fields["interviewee"].queryset = active.filter(
                Q(branch_id=interview.branch_id) | Q(secretary_of=interview.branch_id)
            ).distinct()
        self.fields["interviewer"].help_text = _("默认由党委书记（党委领导）约谈")
        self.fields["interviewee"].help_text = _("默认为该党组织的书记")
        self.helper = _helper(_("保存约谈安排"), action)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("约谈记录"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("记录约谈中双方的谈话要点")
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("保存约谈记录"), action)


class ItemAddForm(forms.Form):
    description = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("新增整改事项"), action, "btn-outline-primary")


class AnswerForm(forms.ModelForm):
    """The branch's answer: measure, deadline, responsible person — all three required."""

    class Meta:
        model = RectificationItem
        fields = ["measure", "deadline", "responsible"]
        widgets = {"measure": forms.Textarea(attrs={"rows": 3}), "deadline": DateInput()}

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        self.fields["responsible"].help_text = _("具体负责整改的同志姓名")
        self.helper = _helper(_("保存整改措施"), action)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        # A deadline already set may stay as it is; a new one may not lie in the past.
        if deadline != self.instance.deadline and deadline < timezone.localdate():
            raise ValidationError(_("完成时限不能早于今天。"))
        return deadline


class ProgressForm(forms.Form):
    progress = forms.CharField(label=_("整改进展"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    completed = forms.BooleanField(
        label=_("已完成整改，提交党建部验收"),
        required=False,
        help_text=_("提交后状态为“待验收”，佐证材料随之锁定，不能再删除或上传；党建部验收通过后才算完成。"),
    )
    no_evidence_reason = forms.CharField(
        label=_("无佐证材料的说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("提交验收需至少一份佐证材料；确实没有的，请写明原因。"),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("报告进展"), action, "btn-outline-primary")


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["file"].help_text = _("支持 %(types)s，单个文件不超过 %(limit)s。") % {
            "types": allowed_extensions_label(),
            "limit": filesizeformat(max_bytes()),
        }
        self.helper = _helper(_("上传"), action, "btn-outline-primary")
        self.helper.form_id = "evidence-form"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_evidence(upload)
        return upload


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("退回…"), action, "btn-outline-danger")


class LookBackScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label=_("回头看日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("安排回头看"), action, "btn-outline-primary")


class LookBackRecordForm(forms.Form):
    """One held/not-held choice and a note per accepted item; fields named held_<id>, note_<id>."""

    HELD_CHOICES = [("yes", _("保持")), ("no", _("未保持"))]

    def __init__(self, *args, items: list[RectificationItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"held_{item.pk}"] = forms.ChoiceField(
                label=item.description, choices=self.HELD_CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def rows(self):
        return [(item, self[f"held_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def results(self) -> dict[int, tuple[bool, str]]:
        return {
            item.pk: (self.cleaned_data[f"held_{item.pk}"] == "yes", self.cleaned_data[f"note_{item.pk}"])
            for item in self.items
        }
