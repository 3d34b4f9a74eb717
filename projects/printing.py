"""What the printable 申报表 shows: every fact the street submitted, labelled as on the form
(the model's verbose names), in the order of the form, values written as on paper."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.formatting import money_text
from projects.models import SCENARIOS, CreationProject

# The application form's fields in its order (projects.forms.ProjectForm), community and
# street aside (they head the form).
APPLICATION_FIELDS = (
    "name", "tier", "category", "jiaxing_kind", "batch_year", "task_year", "reserve_stage",
    "responsible_unit", "unit_area_ha", "households", "building_area", "total_investment",
    "government_funded", "changes_land_use", "stock_land_used", "involves_demolition",
    "involves_relocation", "rebuild", "linked_old_estate_renovation", "planned_start", "planned_finish",
)
MONTH_FIELDS = {"planned_start", "planned_finish"}
LEVELS = {"standard": "标配", "optional": "选配"}


def _shown(project: CreationProject, name: str) -> str:
    field = CreationProject._meta.get_field(name)
    value = getattr(project, name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return getattr(project, f"get_{name}_display")()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return f"{value:%Y年%m月}" if name in MONTH_FIELDS else f"{value:%Y年%m月%d日}"
    if name == "total_investment":
        return money_text(value)
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def application_rows(project: CreationProject) -> list[tuple[str, str]]:
    """(label, value) of every submitted fact; 嘉兴创建类型 only where it applies."""
    rows = []
    for name in APPLICATION_FIELDS:
        if name == "jiaxing_kind" and not project.jiaxing_kind:
            continue
        label = str(CreationProject._meta.get_field(name).verbose_name)
        rows.append((label, _shown(project, name)))
    return rows


def scenario_rows(project: CreationProject) -> list[tuple[str, str, str]]:
    """九大场景: (scenario, 标配/选配/不涉及, plan) in the documents' order."""
    chosen = project.scenarios or {}
    rows = []
    for key, label in SCENARIOS:
        entry = chosen.get(key) or {}
        rows.append((label, LEVELS.get(entry.get("level"), "不涉及"), entry.get("plan", "")))
    return rows
