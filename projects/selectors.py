"""Reads for the project pages: scoped querysets shaped for each page."""

from django.db.models import Q
from django.utils import timezone

from projects import workflow
from projects.models import LISTED_STATUSES, CreationProject, Status

SORTABLE = {"batch_year": "batch_year", "-batch_year": "-batch_year", "status": "status",
            "deadline": "construction_deadline", "-deadline": "-construction_deadline",
            "community": "community__name", "updated": "-updated_at", "id": "id", "-id": "-id"}
REVIEW_STATUSES = {Status.SUBMITTED, Status.IN_REVIEW, Status.ACCEPTANCE_REQUESTED,
                   Status.ACCEPTANCE_REVIEW, Status.ACCEPTED}


def overdue_q(today=None) -> Q:
    waiting = LISTED_STATUSES - {Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_REVIEW}
    return Q(status__in=waiting, construction_deadline__lt=today or timezone.localdate())


def project_list(user, params) -> "tuple[object, dict]":
    """The scoped, filtered and sorted project list; returns (queryset, active filters)."""
    projects = CreationProject.objects.visible_to(user).for_list()
    filters = {}
    for name, lookup in [("district", "street__parent__code"), ("street", "street__code"),
                         ("tier", "tier"), ("category", "category"), ("status", "status"),
                         ("batch_year", "batch_year")]:
        value = params.get(name, "").strip()
        if value:
            filters[name] = value
            if name == "batch_year" and not value.isdigit():
                continue
            projects = projects.filter(**{lookup: value})
    text = params.get("q", "").strip()
    if text:
        filters["q"] = text
        projects = projects.filter(Q(name__icontains=text) | Q(community__name__icontains=text))
    if params.get("overdue") == "1":
        filters["overdue"] = "1"
        projects = projects.filter(overdue_q())
    order = SORTABLE.get(params.get("sort", ""), "-id")
    return projects.order_by(order, "-id"), filters


def review_queue(user):
    """Projects waiting on a step the user's office takes (policy chains, no per-row query)."""
    level = user.office.chain_level if user.office_id else None
    if level is None:
        return []
    candidates = (CreationProject.objects.visible_to(user).for_list()
                  .select_related("policy_version").filter(status__in=REVIEW_STATUSES)
                  .order_by("updated_at"))
    queue = []
    for project in candidates:
        step = workflow.current_step(project)
        if step is not None and step.office_level == level:
            project.step = step
            queue.append(project)
    return queue
