"""What the subsidies app adds to the home page (工作台) and to a project's page."""

from django.urls import reverse

from policies.money import format_money
from portal import compiled
from subsidies import selectors
from subsidies.models import Payment

LIMIT = 10


def _section(title, queryset):
    rows = list(queryset.order_by("due_on", "id")[:LIMIT])
    count = queryset.count()
    items = [{"label": f"{p.project.display_name} · {p.get_kind_display()}",
              "url": reverse("subsidies:project", args=[p.project_id]),
              "note": f"{p.get_payer_display()} {format_money(p.amount)}元"
                      + (f"，应拨付日期 {p.due_on}" if p.due_on else "")}
             for p in rows]
    return {"title": title, "count": count, "items": items}


def sections(user):
    """Finance: payments awaiting 核定, and awaiting 拨付, that their office pays."""
    from subsidies.permissions import is_finance

    if not is_finance(user):
        return []
    return [_section("待核定的奖补资金", selectors.awaiting(user, Payment.State.PLANNED)),
            _section("待拨付的奖补资金（已核定）", selectors.awaiting(user, Payment.State.APPROVED))]


def finance_todo_query(user) -> tuple[tuple, object] | None:
    """奖补资金's to-do count as a compiled count (key, build; portal.compiled): payments the finance
    office still has to 核定 or 拨付; None for anyone but a finance office. The statement depends on
    the scope and the office's level (which payers it acts for)."""
    from communities.scope import scope_token
    from subsidies.permissions import is_finance

    if not is_finance(user):
        return None
    return (("finance_todo", user.office.region.level, scope_token(user)),
            lambda: selectors.awaiting(user, Payment.State.PLANNED) | selectors.awaiting(user, Payment.State.APPROVED))


def finance_todo(user) -> int:
    query = finance_todo_query(user)
    return 0 if query is None else compiled.count(*query)


def project_panel(project, user):
    """The project's approved subsidy (核定补助 A, shown as soon as it is computed — before any
    tranche exists) and its tranches, linked to the 决算表 (two queries)."""
    from subsidies.models import ApprovedSubsidy

    approved = ApprovedSubsidy.objects.filter(project=project).first()
    rows = []
    if approved is not None:
        rows.append(["核定补助（A）", "—", format_money(approved.amount), "已核定",
                     f"{approved.computed_at:%Y-%m-%d}", approved.basis])
    rows += [[p.get_kind_display(), p.get_payer_display(), format_money(p.amount), p.get_state_display(),
              p.due_on or "—", p.basis] for p in Payment.objects.filter(project=project).order_by("id")]
    headers = ["类型", "拨付财政", "金额（元）", "状态", "应拨付日期 / 核定日期", "依据"]
    link = {"url": reverse("subsidies:project", args=[project.pk]), "label": "查看决算表"}
    return [{"title": "奖补资金", "headers": headers, "rows": rows, "link": link, "testid": "subsidy-panel"}]
