from django import forms
from django.conf import settings

from communities.models import Community, OldTownUnit
from portal.validators import free_text, single_line
from projects.models import (
    SCENARIO_LEVELS,
    SCENARIOS,
    Attachment,
    CreationProject,
    MonthlyReport,
    ReportCorrection,
    SpendingRecord,
)

ISO_DATE, ISO_MONTH = "%Y-%m-%d", "%Y-%m"


def date_input(**attrs) -> forms.DateInput:
    """A `type=date` input: the browser reads and writes only ISO YYYY-MM-DD, whatever the locale."""
    return forms.DateInput(format=ISO_DATE, attrs={"type": "date", **attrs})


class MonthField(forms.DateField):
    """A month-only date: a `type=month` input (YYYY-MM), stored as the first of the month."""

    widget = forms.DateInput(format=ISO_MONTH, attrs={"type": "month"})
    input_formats = [ISO_MONTH, ISO_DATE]


MONTH_FIELDS = ("planned_start", "planned_finish")  # 计划开工（月）/ 计划完工（月）

PROJECT_FIELDS = [
    "name", "tier", "category", "involves_demolition", "involves_relocation", "rebuild",
    "linked_old_estate_renovation", "jiaxing_kind", "batch_year", "reserve_stage",
    "responsible_unit", "unit_area_ha", "households", "total_investment", "building_area",
    "government_funded", "changes_land_use", "stock_land_used", "planned_start",
    "planned_finish", "task_year", "old_town_unit",
]


class ProjectForm(forms.ModelForm):
    """The application form (申报表) with the nine scenarios (九大场景)."""

    community = forms.ModelChoiceField(label="社区", queryset=Community.objects.none())

    class Meta:
        model = CreationProject
        fields = ["community", *PROJECT_FIELDS]
        field_classes = {name: MonthField for name in MONTH_FIELDS}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).select_related("street")
        self.fields["old_town_unit"].queryset = OldTownUnit.objects.select_related("area")
        if self.instance.pk:
            self.fields["community"].disabled = True
        current = self.instance.scenarios or {}
        for key, label in SCENARIOS:
            entry = current.get(key, {})
            # a scenario not yet filled stays 未填写 (a form posted back unchanged adds none)
            self.fields[f"scenario_{key}"] = forms.ChoiceField(
                label=f"{label}场景", choices=[("", "未填写"), *SCENARIO_LEVELS], required=False,
                initial=entry.get("level", "standard" if not self.instance.pk else ""))
            self.fields[f"scenario_{key}_plan"] = forms.CharField(
                label=f"{label}场景方案", required=False, max_length=2000, validators=[free_text],
                initial=entry.get("plan", ""), widget=forms.Textarea(attrs={"rows": 2}))
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        for key, label in SCENARIOS:
            if cleaned.get(f"scenario_{key}_plan") and not cleaned.get(f"scenario_{key}"):
                self.add_error(f"scenario_{key}", f"填写了{label}场景方案，请选择标配、选配或不涉及")
        return cleaned

    def _clean_month(self, name):
        """A month posted back unchanged keeps the stored day (a date typed through the API may
        not be the 1st); a new month is stored as its first day."""
        value = self.cleaned_data.get(name)
        stored = getattr(self.instance, name, None) if self.instance.pk else None
        if value and stored and (value.year, value.month) == (stored.year, stored.month):
            return stored
        return value.replace(day=1) if value else value

    def clean_planned_start(self):
        return self._clean_month("planned_start")

    def clean_planned_finish(self):
        return self._clean_month("planned_finish")

    def scenario_fields(self):
        return [(self[f"scenario_{key}"], self[f"scenario_{key}_plan"]) for key, _ in SCENARIOS]

    def basic_fields(self):
        return [self[name] for name in ["community", *PROJECT_FIELDS]]

    def cleaned_project_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        data["scenarios"] = {
            key: {"level": self.cleaned_data[f"scenario_{key}"],
                  "plan": self.cleaned_data[f"scenario_{key}_plan"]}
            for key, _ in SCENARIOS if self.cleaned_data[f"scenario_{key}"]
        }
        return data


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label="意见", required=False, max_length=2000, validators=[free_text],
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    document_no = forms.CharField(label="文号", required=False, max_length=80, validators=[single_line],
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    listed_on = forms.DateField(label="列入名单日期", required=False,
                                widget=date_input(**{"class": "form-control"}))
    accepted_on = forms.DateField(label="验收通过日期", required=False,
                                  widget=date_input(**{"class": "form-control"}))
    named_on = forms.DateField(label="命名日期", required=False,
                               widget=date_input(**{"class": "form-control"}))
    due_on = forms.DateField(label="整改期限", required=False,
                             widget=date_input(**{"class": "form-control"}))


class MonthlyReportForm(forms.ModelForm):
    month = MonthField(label="月份")
    decrease_reason = forms.CharField(
        label="进度或投资下降原因", required=False, max_length=2000,
        help_text="形象进度或累计完成投资低于上月时必填", widget=forms.Textarea(attrs={"rows": 2}))
    # the version the editor read: a stale one is refused (409), never silently overwritten
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    class Meta:
        model = MonthlyReport
        fields = ["month", "progress_percent", "investment_completed", "problems", "next_steps",
                  "decrease_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["month"].disabled = True
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class CorrectionForm(forms.ModelForm):
    class Meta:
        model = ReportCorrection
        fields = ["progress_percent", "investment_completed", "problems", "next_steps", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2}), "problems": forms.Textarea(attrs={"rows": 2}),
                   "next_steps": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "同意"), ("reject", "驳回")])
    comment = forms.CharField(label="意见", required=False, max_length=2000)


class SpendingForm(forms.Form):
    """录入实际支出. Amount and date are read as typed and checked by projects.spending (ASCII
    digits only, below the maximum, not after today); `form_token` is issued with the form, so
    a second POST of the same form (a double click) creates no second row."""

    spent_on = forms.CharField(label="支出日期", max_length=10, widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.CharField(label="金额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    description = forms.CharField(label="用途", max_length=SpendingRecord._meta.get_field("description").max_length)
    form_token = forms.CharField(widget=forms.HiddenInput, min_length=8, max_length=64)

    def __init__(self, *args, **kwargs):
        import uuid

        super().__init__(*args, **kwargs)
        self.fields["form_token"].initial = uuid.uuid4().hex
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def _checked(self, name, check):
        from portal.errors import InvalidInput

        try:
            return check(self.cleaned_data[name])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.fields[name]) from None

    def clean_amount(self):
        from projects.spending import clean_amount

        return self._checked("amount", clean_amount)

    def clean_spent_on(self):
        from projects.services import today
        from projects.spending import clean_spent_on

        return self._checked("spent_on", lambda value: clean_spent_on(value, today()))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Attachment.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=f"文件（PDF、Word、Excel、JPG、PNG，≤{settings.UPLOAD_MAX_MB}MB）",
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
