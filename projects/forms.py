from django import forms

from communities.models import Community, OldTownUnit
from projects.models import SCENARIO_LEVELS, SCENARIOS, Attachment, CreationProject, MonthlyReport, SpendingRecord

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
        widgets = {"planned_start": forms.DateInput(attrs={"type": "date"}),
                   "planned_finish": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).select_related("street")
        self.fields["old_town_unit"].queryset = OldTownUnit.objects.select_related("area")
        if self.instance.pk:
            self.fields["community"].disabled = True
        current = self.instance.scenarios or {}
        for key, label in SCENARIOS:
            entry = current.get(key, {})
            self.fields[f"scenario_{key}"] = forms.ChoiceField(
                label=f"{label}场景", choices=SCENARIO_LEVELS, initial=entry.get("level", "standard"))
            self.fields[f"scenario_{key}_plan"] = forms.CharField(
                label=f"{label}场景方案", required=False, max_length=2000,
                initial=entry.get("plan", ""), widget=forms.Textarea(attrs={"rows": 2}))
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else (
                "form-select" if isinstance(widget, forms.Select) else "form-control")
            widget.attrs.setdefault("class", css)

    def scenario_fields(self):
        return [(self[f"scenario_{key}"], self[f"scenario_{key}_plan"]) for key, _ in SCENARIOS]

    def basic_fields(self):
        return [self[name] for name in ["community", *PROJECT_FIELDS]]

    def cleaned_project_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        data["scenarios"] = {
            key: {"level": self.cleaned_data[f"scenario_{key}"],
                  "plan": self.cleaned_data[f"scenario_{key}_plan"]}
            for key, _ in SCENARIOS
        }
        return data


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label="意见", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    document_no = forms.CharField(label="文号", required=False, max_length=80,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    listed_on = forms.DateField(label="列入名单日期", required=False,
                                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    accepted_on = forms.DateField(label="验收通过日期", required=False,
                                  widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    named_on = forms.DateField(label="命名日期", required=False,
                               widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    due_on = forms.DateField(label="整改期限", required=False,
                             widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))


class MonthlyReportForm(forms.ModelForm):
    month = forms.DateField(label="月份", widget=forms.DateInput(attrs={"type": "month"}),
                            input_formats=["%Y-%m", "%Y-%m-%d"])

    class Meta:
        model = MonthlyReport
        fields = ["month", "progress_percent", "investment_completed", "problems", "next_steps"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["month"].disabled = True
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class SpendingForm(forms.ModelForm):
    class Meta:
        model = SpendingRecord
        fields = ["spent_on", "amount", "description"]
        widgets = {"spent_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Attachment.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label="文件（PDF、Word、Excel、JPG、PNG，≤20MB）",
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
