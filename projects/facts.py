"""Facts about a project, in the shape the policies take (policies.base.Facts)."""

from communities.models import Survey
from policies.base import Facts


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
    surveys = set(community.surveys.values_list("kind", flat=True))
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
        has_needs_survey=Survey.Kind.NEEDS in surveys,
        has_satisfaction_survey=Survey.Kind.SATISFACTION in surveys,
        safety_hazards=tuple(community.safety_hazards),
        in_key_area=community.in_key_area,
        rebuild=project.rebuild,
        linked_old_estate_renovation=project.linked_old_estate_renovation,
        stock_land_used=project.stock_land_used,
    )
    values.update(overrides)
    return Facts(**values)
