"""The facts the residents app owns, contributed to projects.facts.project_facts.

- has_needs_survey: a 需求调研 with at least one answer, of this project or of its community
  (a survey done before the project existed is exactly 创建前需求调研, 嘉兴 二(五)13).
- has_satisfaction_survey / satisfaction_surveyed_on: a 满意度调研 *of this project* with at
  least one answer, and the date of the latest one; policies.jiaxing decides whether that date
  lies in the project's creation period (#16: after listing).
- public_notice_consented: the project's 实施方案 公示 (绍兴2023 三(一)) has closed after its
  period with the stakeholders' consent recorded (DOMAIN §4.2: never marked met automatically).
"""

from django.db.models import Count, Q

from residents.models import Survey
from residents.notices import consented_notice

S = Survey.Source


def answered(queryset):
    """Surveys with at least one answer: staff totals with a sample, or QR answers received."""
    return (queryset.annotate(answer_count=Count("responses"))
            .filter(Q(source=S.STAFF, sample_size__gt=0) | Q(source=S.QR, answer_count__gt=0)))


def satisfaction_dates(project) -> list:
    rows = answered(Survey.objects.filter(project=project, kind=Survey.Kind.SATISFACTION)) \
        .values_list("source", "conducted_on", "opens_on")
    return sorted(conducted if source == S.STAFF else opens for source, conducted, opens in rows
                  if (conducted if source == S.STAFF else opens) is not None)


def resident_facts(project) -> dict:
    own = Q(project=project) if project.pk else Q(pk__in=[])
    community_level = Q(project=None, community_id=project.community_id)
    has_needs = answered(Survey.objects.filter(own | community_level, kind=Survey.Kind.NEEDS)).exists()
    if not project.pk:
        return {"has_needs_survey": has_needs, "has_satisfaction_survey": False,
                "public_notice_consented": False}
    dates = satisfaction_dates(project)
    consented = consented_notice(project) is not None
    return {"has_needs_survey": has_needs, "has_satisfaction_survey": bool(dates),
            "satisfaction_surveyed_on": dates[-1] if dates else None,
            "public_notice_consented": consented}
