"""Forms validate and nothing more; the services decide. Every message is plain Chinese."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Branch, User
from scoring.models import DeductionItem, Indicator, InspectionGroup, Method, Problem, Quarter
from scoring.numbers import CENT
from scoring.scores import parse_score
from scoring.selectors.groups import inspectors
from scoring.services import ProblemEntry, ScoreEntry


class ScoreField(forms.CharField):
    """A score typed by hand: empty (not scored yet) or a Decimal 0..max with one decimal at most,
    read by the one parser of scores (scoring.scores.parse_score)."""

    def __init__(self, *, max_score: Decimal, **kwargs):
        self.max_score = max_score
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)  # parse_score trims exactly what the browser trims
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "autocomplete": "off",
                    "class": "form-control form-control-sm num js-score",
                    "data-max": str(max_score),
                    "size": 5,
                }
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_score(super().to_python(value), self.max_score)


class ScoreSheetForm(forms.Form):
    """All indicators of one branch in one form: score, methods and note for each, plus the
    existing problems to remove. New problems come in a ProblemFormSet beside it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    remove_problems = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("删除问题")
    )

    def __init__(self, *args, indicators: list[Indicator], problems: list[Problem] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.fields["remove_problems"].choices = [(str(p.pk), p.description) for p in problems]
        for indicator in indicators:
            self.fields[f"score_{indicator.pk}"] = ScoreField(max_score=indicator.max_score, label=gettext_lazy("得分"))
            self.fields[f"methods_{indicator.pk}"] = forms.MultipleChoiceField(
                choices=Method.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                label=gettext_lazy("检查方式"),
            )
            self.fields[f"note_{indicator.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                label=gettext_lazy("备注"),
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
            )

    @staticmethod
    def initial_for(version: int, scores: dict) -> dict:
        initial = {"version": version}
        for indicator_id, score in scores.items():
            initial[f"score_{indicator_id}"] = "" if score.value is None else str(score.value)
            initial[f"methods_{indicator_id}"] = score.method_list
            initial[f"note_{indicator_id}"] = score.note
        return initial

    def rows(self):
        """(indicator, score field, methods field, note field) in scheme order, for the template."""
        for indicator in self.indicators:
            yield (
                indicator,
                self[f"score_{indicator.pk}"],
                self[f"methods_{indicator.pk}"],
                self[f"note_{indicator.pk}"],
            )

    def entries(self) -> dict[int, ScoreEntry]:
        data = self.cleaned_data
        return {
            i.pk: ScoreEntry(
                value=data[f"score_{i.pk}"],
                methods=tuple(data[f"methods_{i.pk}"]),
                note=data[f"note_{i.pk}"],
            )
            for i in self.indicators
        }


class ProblemForm(forms.Form):
    """A new problem found (问题), tied to one indicator of the sheet or to one of its deduction
    items (扣分标准): the choice "12" is indicator 12, "12:34" its deduction item 34. With a
    deduction item, the count says how many were found ("每发现一处") and the description may be
    left to the item's own words."""

    indicator = forms.ChoiceField(
        label=gettext_lazy("对应指标"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": gettext_lazy("对应指标")}),
    )
    description = forms.CharField(
        label=gettext_lazy("问题描述"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "placeholder": gettext_lazy("例如：“三会一课”落实不到位"),
                "aria-label": gettext_lazy("问题描述"),
            }
        ),
    )
    count = forms.IntegerField(
        label=gettext_lazy("处数"),
        required=False,
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={
            "min_value": gettext_lazy("处数至少为 1。"),
            "max_value": gettext_lazy("处数不能超过 99。"),
            "invalid": gettext_lazy("请输入整数。"),
        },
        widget=forms.NumberInput(
            attrs={"class": "form-control form-control-sm w-auto js-problem-count", "min": 1, "max": 99, "size": 3}
        ),
    )

    def __init__(self, *args, indicators: list[Indicator] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择指标"))]
        self.rules: dict[str, tuple[int, DeductionItem | None]] = {}
        for i in indicators:
            choices.append((str(i.pk), f"{i.code} {i.name}"))
            self.rules[str(i.pk)] = (i.pk, None)
            for d in getattr(i, "deduction_list", ()):
                key = f"{i.pk}:{d.pk}"
                choices.append(
                    (
                        key,
                        _("%(code)s 扣分：%(item)s（%(rule)s）")
                        % {"code": i.code, "item": d.description, "rule": d.rule_text},
                    )
                )
                self.rules[key] = (i.pk, d)
        self.fields["indicator"].choices = choices

    def clean(self):
        data = super().clean()
        choice, description = data.get("indicator"), (data.get("description") or "").strip()
        indicator_id, deduction = self.rules.get(choice or "", (None, None))
        if deduction is not None and not description:
            description = deduction.description
        if description and not indicator_id:
            self.add_error("indicator", _("请选择问题对应的指标。"))
        if indicator_id and not description:
            self.add_error("description", _("请填写问题描述。"))
        data["indicator_id"], data["deduction"], data["description"] = indicator_id, deduction, description
        return data


ProblemFormSet = forms.formset_factory(ProblemForm, extra=1, max_num=200, absolute_max=200)


def new_problems(formset) -> list[ProblemEntry]:
    return [
        ProblemEntry(
            indicator_id=f.cleaned_data["indicator_id"],
            description=f.cleaned_data["description"],
            deduction_id=f.cleaned_data["deduction"].pk if f.cleaned_data.get("deduction") else None,
            count=f.cleaned_data.get("count") or 1,
        )
        for f in formset.forms
        if f.cleaned_data.get("indicator_id") and f.cleaned_data.get("description")
    ]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("退回原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写退回原因。")},
    )


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.branch.name if obj.branch_id else _('无所在党组织')}）"


class InspectorMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.branch.name if obj.branch_id else _('无所在党组织')}）"


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("组名"), max_length=50)
    leader = InspectorChoiceField(
        queryset=User.objects.none(),
        label=gettext_lazy("组长"),
        required=False,
        empty_label=gettext_lazy("（暂不指定）"),
    )
    members = InspectorMultipleChoiceField(
        queryset=User.objects.none(),
        label=gettext_lazy("成员"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("只列出具有“检查组成员”角色的用户；组长自动计入成员。"),
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = inspectors(unit)
        self.fields["members"].queryset = inspectors(unit)

    @staticmethod
    def initial_for(group: InspectionGroup) -> dict:
        return {"name": group.name, "leader": group.leader_id, "members": list(group.members.all())}


class MoveForm(forms.Form):
    """Assign one branch to a group by hand (or move it)."""

    branch = forms.ModelChoiceField(queryset=Branch.objects.filter(is_active=True), label=gettext_lazy("党组织"))
    # Empty: back to 未分配.
    group = forms.ModelChoiceField(
        queryset=InspectionGroup.objects.none(), label=gettext_lazy("检查组"), required=False
    )

    def __init__(self, *args, quarter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Branch.objects.for_quarter(quarter)
        self.fields["group"].queryset = InspectionGroup.objects.filter(quarter=quarter)


class ContributionForm(forms.Form):
    branch = forms.ModelChoiceField(
        queryset=Branch.objects.filter(is_active=True).order_by("category", "name"),
        label=gettext_lazy("党组织"),
        empty_label=gettext_lazy("请选择党组织"),
    )
    points = forms.DecimalField(
        label=gettext_lazy("积分"),
        max_digits=4,
        decimal_places=2,
        min_value=CENT,
        error_messages={
            "invalid": gettext_lazy("请输入数字，例如 1 或 0.5。"),
            "max_digits": gettext_lazy("积分不能超过 99.99。"),
            "max_decimal_places": gettext_lazy("积分最多保留两位小数。"),
            "max_whole_digits": gettext_lazy("积分不能超过 99.99。"),
            "min_value": gettext_lazy("积分应大于 0。"),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("事由"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写加分事由。")},
        help_text=gettext_lazy("每一项都须写明事由，例如：选树先进典型、党建品牌故事被上级刊发。"),
    )

    def __init__(self, *args, cap: Decimal, quarter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if quarter is not None:
            self.fields["branch"].queryset = Branch.objects.for_quarter(quarter).order_by("category", "name")
        self.fields["points"].help_text = _(
            "本季度每个党组织贡献度积分合计不超过 %(cap)s 分（随考核指标体系设定）。"
        ) % {"cap": cap}


# --- 党建部's desk: a new quarter, the scheme editor ----------------------------------------------------


class QuarterCreateForm(forms.Form):
    """新建季度: the code, the quarter to copy from, whether to bring its groups along."""

    code = forms.CharField(
        label=gettext_lazy("季度编号"),
        max_length=6,
        help_text=gettext_lazy("格式为“年份Q季度”，例如 2019Q2。"),
        error_messages={"required": gettext_lazy("请填写季度编号。")},
    )
    copy_from = forms.ModelChoiceField(
        queryset=Quarter.objects.none(),
        label=gettext_lazy("复制自"),
        required=False,
        empty_label=gettext_lazy("（不复制：使用内置默认指标体系）"),
        help_text=gettext_lazy("复制该季度的考核指标体系（含扣分标准）、贡献度积分上限，以及下面选择的检查组。"),
    )
    copy_groups = forms.BooleanField(
        label=gettext_lazy("同时复制检查组及其成员（不复制分配，分配在新季度中重新进行）"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, unit=None, **kwargs):
        """`unit`: the evaluating unit the quarter is for. It copies from the unit's own quarters or,
        before it has any, from the template the nearest unit above published."""
        super().__init__(*args, **kwargs)
        from scoring.units import template_above

        quarters = Quarter.objects.newest_first()
        if unit is not None:
            template = template_above(unit)
            own = Q(unit=unit) | (Q(pk=template.pk) if template is not None else Q(pk__in=[]))
            quarters = quarters.filter(own).select_related("unit")
            initial = quarters.filter(unit=unit).first() or template
        else:
            initial = quarters.first()
        self.fields["copy_from"].queryset = quarters
        self.fields["copy_from"].label_from_instance = lambda q: (
            f"{q.code}（{q.get_status_display()}）"
            if unit is None or q.unit_id == unit.pk
            else _("%(code)s（%(unit)s下发的模板）") % {"code": q.code, "unit": q.unit.name}
        )
        self.fields["copy_from"].initial = initial

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if Quarter.parse_code(code) is None:
            raise forms.ValidationError(
                _("季度编号“%(code)s”格式不正确，应为“年份Q季度”，例如 2019Q2。") % {"code": code}
            )
        return code


DECIMAL_ERRORS = {
    "invalid": gettext_lazy("请输入数字，例如 2 或 0.5。"),
    "max_decimal_places": gettext_lazy("最多保留一位小数。"),
    "max_digits": gettext_lazy("数值过大。"),
    "max_whole_digits": gettext_lazy("数值过大。"),
}


def _drop_min_validators(field) -> None:
    field.min_value = None
    field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
    field.widget.attrs.pop("min", None)


class IndicatorForm(forms.ModelForm):
    """One indicator of the scheme: code, name, maximum, guidance. Its section comes from the page,
    its order from the up/down buttons."""

    class Meta:
        model = Indicator
        fields = ["code", "name", "max_score", "guidance"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "code": {"required": gettext_lazy("请填写编号。")},
            "name": {"required": gettext_lazy("请填写指标名称。")},
            "max_score": {"required": gettext_lazy("请填写满分。"), **DECIMAL_ERRORS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _drop_min_validators(self.fields["max_score"])  # the service says it in plain words

    def validate_unique(self):
        """The service checks the code within the quarter (the form does not know the quarter)."""


class DeductionItemForm(forms.ModelForm):
    """One deduction item (扣分标准) of an indicator."""

    class Meta:
        model = DeductionItem
        fields = ["description", "points", "per_occurrence", "cap"]
        error_messages = {
            "description": {"required": gettext_lazy("请填写扣分情形，例如“会议记录不完整”。")},
            "points": {"required": gettext_lazy("请填写扣分。"), **DECIMAL_ERRORS},
            "cap": DECIMAL_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("points", "cap"):
            _drop_min_validators(self.fields[name])
