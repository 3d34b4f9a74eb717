"""Required materials per workflow step (DOMAIN §9 "Materials per step"): which documents a
submission (提交申报) and an acceptance request (申请验收) need, per policy.

The lists are policy parameters (`materials_submit`, `materials_acceptance`, kind "materials")
whose first version is each document's reading below; an administrator may change them. Some
materials apply only to some projects (`CONDITIONS`): 绍兴 公共服务设施配置和运营方案 to 旧改类,
嘉兴 一体化设计方案 to 引领型. Plain Python: projects.materials compares them with the
project's attachments.
"""

from __future__ import annotations

from dataclasses import dataclass

MATERIALS = {
    "application_plan": "申报方案",
    "creation_plan": "创建方案",
    "implementation_plan": "实施方案",
    "operation_plan": "运营方案",
    "public_service_plan": "公共服务设施配置和运营方案",
    "integrated_design": "一体化设计方案",
}
STEPS = {"submit": "materials_submit", "request_acceptance": "materials_acceptance"}
STEP_LABELS = {"submit": "提交申报", "request_acceptance": "申请验收"}
# material → (project attribute, value it must have for the material to be required, wording)
CONDITIONS = {
    "public_service_plan": ("category", "renovation", "旧改类"),
    "integrated_design": ("jiaxing_kind", "leading", "引领型"),
}


@dataclass(frozen=True)
class Material:
    key: str
    label: str
    basis: str


def applies(key: str, project_attrs: dict) -> bool:
    condition = CONDITIONS.get(key)
    return condition is None or project_attrs.get(condition[0]) == condition[1]


def required_materials(policy, step: str, project_attrs: dict, params=None) -> list[Material]:
    """The materials `step` needs for a project with `project_attrs` (category, jiaxing_kind),
    each with its basis: the document's clause, or 管理员设定参数（…） when an administrator
    changed the list."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    key = STEPS[step]
    p = policy.resolve(params)
    value = p.get(key) or ()
    if not value:
        return []
    spec = policy.parameter(key)
    clauses = getattr(policy, "MATERIAL_BASES", {})
    admin = policy.basis_of(key, value).startswith("管理员设定参数")
    result = []
    for material in value:
        if not applies(material, project_attrs):
            continue
        basis = clauses.get((step, material), spec.basis)
        result.append(Material(material, MATERIALS[material],
                               f"管理员设定参数（{basis}）" if admin else basis))
    return result
