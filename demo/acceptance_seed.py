"""Demo data of this app (seed_demo): monthly reports for most past months of the listed demo
projects (some left missing, so alerts have something to say), then one sweep and the
bulletins, as the daily jobs would have produced them."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from acceptance.bulletins import generate_bulletins
from acceptance.deadlines import completed_months, recompute_deadlines
from acceptance.sweep import sweep_deadlines
from communities.models import Office, User
from projects.models import LISTED_STATUSES, CreationProject, MonthlyReport


@transaction.atomic
def seed_reports(rng) -> int:
    if MonthlyReport.objects.exists():
        return 0
    today = timezone.localdate()
    created = 0
    projects = (CreationProject.objects.filter(status__in=LISTED_STATUSES, listed_on__isnull=False)
                .select_related("community", "street", "policy_version").order_by("pk"))
    for project in projects:
        user = User.objects.filter(office__kind=Office.Kind.STREET, office__region=project.street).first()
        months = completed_months(project.listed_on, today)
        progress = Decimal(0)
        for month in months[:-1] if rng.random() < 0.5 else months:
            if rng.random() < 0.15:
                continue  # a missing report
            progress = min(progress + rng.randrange(3, 12), Decimal(100))
            report = MonthlyReport.objects.create(
                project=project, month=month, progress_percent=progress, submitted_by=user,
                investment_completed=(project.total_investment or Decimal(0)) * progress / 100)
            submitted = timezone.make_aware(dt.datetime.combine(month.replace(day=28), dt.time(10)))
            MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=submitted)
            created += 1
        recompute_deadlines(project, today)
    return created


def seed_deadlines(rng) -> str:
    reports = seed_reports(rng)
    result = sweep_deadlines()
    bulletins = generate_bulletins()
    return (f"monthly_reports={reports} alerts={result.alerts_raised} "
            f"notifications={result.notifications} bulletins={len(bulletins)}")
