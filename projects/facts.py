"""Facts about a project, in the shape the policies take (policies.base.Facts).

Apps above this one own some facts (the residents app owns the surveys and the 公示 notices):
they register a contributor with `contributes_facts`, called as contributor(project) -> dict of
Facts fields, so this module never imports them.
"""

from policies.base import Facts

FACT_CONTRIBUTORS: list = []


def contributes_facts(function):
    """Register `function(project) -> dict` as a source of project facts (once per function)."""
    if function not in FACT_CONTRIBUTORS:
        FACT_CONTRIBUTORS.append(function)
    return function


def core_facts(project) -> dict:
    """The facts every rule reads of the project itself: its columns and its district.
    `project` may be a CreationProject or a row with the same attribute names (the nightly
    subsidy run's subsidies.services.FactsRow)."""
    return dict(
        policy=project.policy_code or None,
        district_code=project.district_code,
        tier=project.tier,
        category=project.category,
        involves_demolition=project.involves_demolition,
        involves_relocation=project.involves_relocation,
        listed_on=project.listed_on,
        task_year=project.task_year,
        accepted_on=project.accepted_on,
        named_on=project.named_on,
    )


def project_facts(project, **overrides) -> Facts:
    community = project.community
    values = dict(
        **core_facts(project),
        has_villas=community.has_villas,
        split_by_barrier=bool(community.split_by),
        admin_community_count=community.admin_community_count,
        area_ha=project.unit_area_ha if project.unit_area_ha is not None else community.area_ha,
        total_investment=project.total_investment,
        building_area=project.building_area,
        government_funded=project.government_funded,
        changes_land_use=project.changes_land_use,
        safety_hazards=tuple(community.safety_hazards),
        in_key_area=community.in_key_area,
        rebuild=project.rebuild,
        linked_old_estate_renovation=project.linked_old_estate_renovation,
        stock_land_used=project.stock_land_used,
    )
    for contribute in FACT_CONTRIBUTORS:
        values.update(contribute(project))
    values.update(overrides)
    return Facts(**values)
