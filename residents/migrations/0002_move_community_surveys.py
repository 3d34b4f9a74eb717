"""Move the community-level surveys (communities.Survey, typed-in totals) to residents.Survey.

Every row is copied as a staff-entered survey (source = staff) of its community. A row is also
tied to a project when that is unambiguous: the community has exactly one project listed on or
before the survey's date (the survey then lies in that project's creation period). Otherwise it
stays a community-level row: it still counts as 创建前需求调研, but never unlocks a 嘉兴
acceptance, which needs a satisfaction survey of the project itself (#16).
"""

from django.db import migrations


def copy_surveys(apps, schema_editor):
    Old = apps.get_model("communities", "Survey")
    New = apps.get_model("residents", "Survey")
    Project = apps.get_model("projects", "CreationProject")
    rows = []
    for old in Old.objects.all().order_by("pk").iterator():
        listed = list(Project.objects.filter(community_id=old.community_id, listed_on__isnull=False,
                                             listed_on__lte=old.conducted_on).values_list("pk", flat=True)[:2])
        rows.append(New(community_id=old.community_id, project_id=listed[0] if len(listed) == 1 else None,
                        kind=old.kind, source="staff", title="（迁移自社区档案）", conducted_on=old.conducted_on,
                        sample_size=old.sample_size, satisfied_share=old.satisfied_share, summary=old.summary))
    New.objects.bulk_create(rows, batch_size=500)


def copy_back(apps, schema_editor):
    Old = apps.get_model("communities", "Survey")
    New = apps.get_model("residents", "Survey")
    Old.objects.bulk_create([
        Old(community_id=s.community_id, kind=s.kind, conducted_on=s.conducted_on, sample_size=s.sample_size or 0,
            satisfied_share=s.satisfied_share, summary=s.summary)
        for s in New.objects.filter(source="staff", kind__in=["needs", "satisfaction"], conducted_on__isnull=False)])


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0001_surveys_notices_prosperity"),
        ("communities", "0002_loginevent_operationlog"),
    ]

    operations = [migrations.RunPython(copy_surveys, copy_back)]
