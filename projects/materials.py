"""Required materials of a workflow step against the project's attachments (DOMAIN §9).

The list per policy and step is the policy's parameter (policies.materials); this module is
the one place that says what is missing. projects.services adds its result to the step's
guard (提交申报 → prechecks, 申请验收 → acceptance prerequisites), so the page shows it and the
workflow refuses the move until every material is uploaded.
"""

from policies.base import Check
from policies.materials import STEP_LABELS, Material, required_materials


def project_attrs(project) -> dict:
    return {"category": project.category, "jiaxing_kind": project.jiaxing_kind}


def required(project, step: str) -> list[Material]:
    policy = project.policy
    if policy is None:
        return []
    return required_materials(policy, step, project_attrs(project), project.parameters())


def status(project, step: str) -> list[tuple[Material, bool]]:
    """(material, on file) for each material `step` needs. A project not yet saved (the live
    pre-check of the application form) has nothing to compare: materials are uploaded on the
    project's page once the draft exists."""
    if project.pk is None:
        return []
    materials = required(project, step)
    if not materials:
        return []
    on_file = set(project.attachments.filter(kind__in=[m.key for m in materials])
                  .values_list("kind", flat=True))
    return [(m, m.key in on_file) for m in materials]


def missing_checks(project, step: str) -> list[Check]:
    """A blocking check per missing material, naming it and the step, with its basis."""
    return [Check(f"material_missing:{m.key}", "block",
                  f"{STEP_LABELS[step]}须上传“{m.label}”，尚未上传", m.basis)
            for m, present in status(project, step) if not present]
