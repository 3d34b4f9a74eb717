"""Keep deadlines in step with projects, and the workflow effects this app owns (the
rectification order and its notice): connected in AcceptanceConfig.ready().

project_transitioned arrives inside the transition's transaction, so the deadline rows
commit or roll back with it. Parameter changes of a PolicyVersion are recomputed in the
background after commit (a version may bind many projects).
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from acceptance.deadlines import recompute_deadlines
from acceptance.models import Alert, Deadline, RectificationOrder, SweepMark
from communities.models import Office
from policies.base import Check
from portal.notifications import notify
from projects import workflow
from projects.models import MonthlyReport, PolicyVersion
from projects.signals import project_facts_changed, project_transitioned

logger = logging.getLogger(__name__)
INBOX_EVENTS = {"rectification_issued": "整改通知"}


@workflow.effect("issue_rectification")
def issue_rectification_order(*, project, user, cleaned, transition):
    """The move's 整改单 and its notice to the street (DOMAIN §3.1: acceptance failed)."""
    order = RectificationOrder.objects.create(project=project, issued_by=user, office=user.office,
                                              due_on=cleaned["due_on"], requirements=cleaned["comment"])
    notify(
        "rectification_issued", key=f"rectification:{order.pk}", project=project, sender=user,
        link=reverse("projects:detail", args=[project.pk]), link_label=project.display_name,
        offices=Office.objects.filter(kind=Office.Kind.STREET, region_id=project.street_id),
        title=f"【整改通知】{project.display_name} 验收未通过，请于{order.due_on}前完成整改",
        body=f"{order.office.name}下达整改单#{order.pk}，整改期限 {order.due_on}。整改要求：{order.requirements}")


@workflow.effect("request_acceptance")
def close_rectification_orders(*, project, user, cleaned, transition):
    """Requesting acceptance again ends the open 整改单 of a failed acceptance (整改完成); an
    inspection's orders are closed only by the office that issued them."""
    RectificationOrder.objects.filter(project=project, closed_at=None,
                                      origin=RectificationOrder.Origin.ACCEPTANCE).update(closed_at=timezone.now())


INSPECTION_BASIS = "绍兴2023 四 对存在问题下发整改单，限时督促整改"


@workflow.prerequisite("acceptance_prerequisites")
def open_inspection_orders(project):
    """An open 整改单 of an inspection blocks the acceptance request (DOMAIN §3.1 "no open
    rectification order", §9 "block the acceptance request") until its office closes it."""
    open_ids = list(RectificationOrder.objects.filter(
        project=project, closed_at=None, origin=RectificationOrder.Origin.INSPECTION)
        .order_by("pk").values_list("pk", flat=True))
    if not open_ids:
        return []
    numbers = "、".join(f"#{pk}" for pk in open_ids)
    return [Check("open_rectification_orders", "block",
                  f"尚有{len(open_ids)}份检查整改单未销号（{numbers}），须经下达单位审核销号后方可申请验收",
                  INSPECTION_BASIS)]


@receiver(project_transitioned, dispatch_uid="acceptance.deadlines_on_transition")
def deadlines_on_transition(sender, project, transition, **kwargs):
    recompute_deadlines(project)


@receiver(project_facts_changed, dispatch_uid="acceptance.deadlines_on_facts")
def deadlines_on_facts(sender, project, **kwargs):
    recompute_deadlines(project)


@receiver(post_save, sender=MonthlyReport, dispatch_uid="acceptance.deadlines_on_report")
def deadlines_on_report(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        recompute_deadlines(instance.project)


@receiver(post_save, sender=PolicyVersion, dispatch_uid="acceptance.deadlines_on_parameters")
def deadlines_on_parameters(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return  # a new version binds no project yet
    version_id = instance.pk

    def enqueue():
        from acceptance.tasks import recompute_policy_version_deadlines

        try:
            recompute_policy_version_deadlines.apply_async(args=[version_id], retry=False)
        except Exception:
            logger.warning("could not enqueue deadline recomputation of policy version %s; "
                           "run `manage.py sweep_deadlines --policy-version %s`", version_id, version_id,
                           exc_info=True)

    transaction.on_commit(enqueue)


@receiver(post_delete, sender=Deadline, dispatch_uid="acceptance.marks_on_deadline_delete")
@receiver(post_delete, sender=Alert, dispatch_uid="acceptance.marks_on_alert_delete")
def forget_sweep_marks(sender, **kwargs):
    """A deleted deadline or alert may be wanted again: the next sweep checks everything
    (acceptance.sweep_marks)."""
    SweepMark.objects.all().delete()
