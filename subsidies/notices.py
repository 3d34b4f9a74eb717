"""Payment moves notify (issue #15 defect 6): 核定 (approved) tells the finance office that pays
next and the project's street office; 拨付 (paid) tells the street office — with the amount, the
voucher number and the basis. Called by subsidies.services inside the move's transaction, one
notice per project moved (portal.notifications.notify: inbox, e-mail or digest)."""

from collections import defaultdict

from django.urls import reverse

from communities.models import Office
from portal.notifications import notify
from subsidies.models import Payment

INBOX_EVENTS = {f"payment_{state}": f"奖补资金{label}" for state, label in Payment.State.choices}


def payments_moved(user, ids, state: str) -> int:
    payments = (Payment.objects.filter(pk__in=ids)
                .select_related("project__community", "project__street").order_by("project_id", "pk"))
    by_project = defaultdict(list)
    for payment in payments:
        by_project[payment.project].append(payment)
    sent = 0
    for project, moved in by_project.items():
        offices = list(Office.objects.filter(kind=Office.Kind.STREET, region_id=project.street_id))
        if state == Payment.State.APPROVED and user.office_id:
            offices.append(user.office)  # the paying finance office: 拨付 is its next step
        label = Payment.State(state).label
        total = sum(p.amount for p in moved)
        lines = [f"{p.get_kind_display()} {p.amount:,.2f} 元（{p.get_payer_display()}）依据：{p.basis}" for p in moved]
        if state == Payment.State.PAID:
            lines.append(f"拨付凭证号：{moved[0].voucher_no}")
        else:
            lines.append("下一步：财政部门拨付。")
        who = f"{user.office.name if user.office_id else ''} {user.get_full_name() or user.username}".strip()
        sent += notify(
            f"payment_{state}", project=project, offices=offices,
            title=f"【奖补资金{label}】{project.display_name} {len(moved)} 笔，合计 {total:,.2f} 元",
            body=f"{who}{label}：\n" + "\n".join(lines),
            link=reverse("subsidies:project", args=[project.pk]), link_label=f"{project.display_name} 决算表",
            key=f"payment_{state}:{min(p.pk for p in moved)}")
    return sent
