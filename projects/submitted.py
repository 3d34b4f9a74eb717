"""What the street submitted (issue #15 defect 5): every fact of the application, as the
reviewer reads it, and what changed between two submissions.

Each 提交申报 records a snapshot of these facts in its history row (Transition.details["facts"],
append-only); after a return the reviewer sees the resubmission against the submission that was
returned — the latest two snapshots. The facts are the application form's own fields
(projects.forms.PROJECT_FIELDS) and the nine scenarios, labelled by the model.
"""

import datetime as dt
from decimal import Decimal

from projects.models import SCENARIO_LEVELS, SCENARIOS, CreationProject

FIELDS = [  # the application form's fields (projects.forms.PROJECT_FIELDS), in its order
    "name", "tier", "category", "involves_demolition", "involves_relocation", "rebuild",
    "linked_old_estate_renovation", "jiaxing_kind", "batch_year", "reserve_stage",
    "responsible_unit", "unit_area_ha", "households", "total_investment", "building_area",
    "government_funded", "changes_land_use", "stock_land_used", "planned_start",
    "planned_finish", "task_year",
]
MONTH_FIELDS = {"planned_start", "planned_finish"}
MONEY_FIELDS = {"total_investment"}


def _shown(project, name: str) -> str:
    field = CreationProject._meta.get_field(name)
    value = getattr(project, name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}" if name in MONTH_FIELDS else value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def label_of(key: str) -> str:
    scenarios = dict(SCENARIOS)
    if key.startswith("scenario:"):
        return f"{scenarios.get(key.split(':', 1)[1], key)}场景"
    if key == "community":
        return "社区"
    return str(CreationProject._meta.get_field(key).verbose_name)


def submitted_facts(project) -> dict[str, str]:
    """key → the value as shown (every key always present, "—" when empty)."""
    facts = {"community": project.community.name}
    facts.update({name: _shown(project, name) for name in FIELDS})
    levels = dict(SCENARIO_LEVELS)
    for key, _label in SCENARIOS:
        entry = (project.scenarios or {}).get(key)
        facts[f"scenario:{key}"] = (
            f"{levels.get(entry.get('level'), '—')}{('：' + entry['plan']) if entry.get('plan') else ''}"
            if entry else "未填写")
    return facts


def rows(facts: dict[str, str]) -> list[tuple[str, str]]:
    return [(label_of(key), value) for key, value in facts.items()]


def resubmission_changes(project) -> dict | None:
    """After a return: the latest submission against the one before it, or None when the project
    was submitted at most once. {"before_at", "after_at", "changes": [(label, before, after)]}."""
    snapshots = list(project.transitions.filter(action="submit", details__has_key="facts")
                     .order_by("-at", "-id").values_list("at", "details")[:2])
    if len(snapshots) < 2:
        return None
    (after_at, after), (before_at, before) = snapshots
    after, before = after["facts"], before["facts"]
    changes = [(label_of(key), before.get(key, "—"), after.get(key, "—"))
               for key in dict.fromkeys([*before, *after]) if before.get(key, "—") != after.get(key, "—")]
    return {"before_at": before_at, "after_at": after_at, "changes": changes}
