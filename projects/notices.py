"""Every workflow move notifies (issue #15 defect 6, CONTRACTS /api/notifications/): the office
that must act next and the project's street office, with the comment — in the inbox, by e-mail
or in the daily digest as each user chose (portal.notifications.notify).

One receiver of project_transitioned (sent inside the move's transaction, so the notices commit
or roll back with it), connected in ProjectsConfig.ready: no view notifies. "The office that must
act next" is read from the workflow table in the project's new state (the offices of the moves
now open, 撤回/终止 aside); the street office is told of every move it did not make itself. 下发
整改单 has its own notice with the order's number and period (acceptance.receivers), so it is
not notified twice. Payment moves are notified by the subsidies app (subsidies.notices).
"""

from django.dispatch import receiver
from django.urls import reverse

from communities.models import Office
from portal.notifications import notify
from projects import workflow
from projects.signals import project_transitioned

OWN_NOTICE = {"issue_rectification"}  # acceptance.receivers.issue_rectification_order
NOT_NEXT = {"withdraw", "terminate"}  # always open, never "what must happen next"
KIND_OF_LEVEL = {"street": Office.Kind.STREET, "district": Office.Kind.DISTRICT_TOWNSCAPE,
                 "city": Office.Kind.CITY_TOWNSCAPE, "leading_group": Office.Kind.LEADING_GROUP}


def event_of(action: str) -> str:
    """The notification kind of a workflow move (Notification.event holds 32 characters)."""
    return f"project_{action}"[:32]


INBOX_EVENTS = {event_of(action): label for action, (label, _) in workflow.ACTIONS.items()
                if action not in OWN_NOTICE}


def next_moves(project) -> list[workflow.Move]:
    return [m for m in workflow.moves(project) if m.action not in NOT_NEXT]


def offices_for(project, levels) -> list[Office]:
    """The offices of `levels` over the project's street: its street office, the district's and
    the city's (a leading group sits at the city or the district)."""
    street = project.street
    district_id = street.parent_id
    city_id = street.parent.parent_id if street.parent_id else None
    regions = {Office.Kind.STREET: [street.pk], Office.Kind.DISTRICT_TOWNSCAPE: [district_id],
               Office.Kind.CITY_TOWNSCAPE: [city_id], Office.Kind.LEADING_GROUP: [city_id, district_id]}
    found = []
    for level in levels:
        kind = KIND_OF_LEVEL[level]
        found += Office.objects.filter(kind=kind, region_id__in=[r for r in regions[kind] if r])
    return found


def recipients(project, transition) -> list[Office]:
    moves = next_moves(project)
    offices = offices_for(project, dict.fromkeys(m.office_level for m in moves))
    actor_office = transition.office_id
    street = offices_for(project, ["street"])
    if not any(o.pk == actor_office for o in street):
        offices += [o for o in street if o not in offices]
    return offices


def message(project, transition) -> tuple[str, str]:
    moves = next_moves(project)
    status = project.get_status_display()
    waiting = "、".join(dict.fromkeys(
        f"{workflow.LEVEL_LABELS[m.office_level]}{m.label}" for m in moves))
    title = f"【{transition.action_label}】{project.display_name}：{status}"
    who = " ".join(part for part in (transition.office.name if transition.office_id else "",
                                     transition.actor.get_full_name() or transition.actor.username) if part)
    lines = [f"{who}执行“{transition.action_label}”{f'（{transition.step_label}）' if transition.step_label else ''}，"
             f"项目状态：{workflow.describe_state(project)}。"]
    if transition.comment:
        lines.append(f"意见：{transition.comment}")
    if transition.document_no:
        dated = f"（{transition.decision_date}）" if transition.decision_date else ""
        lines.append(f"文号：{transition.document_no}{dated}")
    lines.append(f"下一步：{waiting}。" if waiting else "流程已结束。")
    return title, "\n".join(lines)


@receiver(project_transitioned, dispatch_uid="projects.notify_workflow_move")
def notify_workflow_move(sender, project, transition, **kwargs):
    if transition.action in OWN_NOTICE:
        return
    offices = recipients(project, transition)
    if not offices:
        return
    title, body = message(project, transition)
    notify(event_of(transition.action), title=title, body=body, project=project,
           link=reverse("projects:detail", args=[project.pk]), link_label=project.display_name,
           offices=offices, key=f"transition:{transition.pk}")
