"""Reads for the ledger pages, the API and the reports: scoped querysets and SQL totals."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from portal.validators import ascii_int
from projects.periods import flag_expression
from subsidies.models import Payment

ZERO_SUM = Value(0, output_field=DecimalField(max_digits=18, decimal_places=2))
FILTERS = {
    "project": "project_id", "state": "state", "kind": "kind", "payer": "payer",
    "year": "fiscal_year", "district": "project__street__parent__code",
    "street": "project__street__code",
}


def payments(user, params=None):
    """The user's payments, filtered by the GET parameters they understand; (qs, filters)."""
    # 超出文件执行期（沿用） of the payment's project (projects.periods), for the page and the export
    qs = Payment.objects.visible_to(user).for_list().annotate(period_flag=flag_expression("project__"))
    active = {}
    for name, lookup in FILTERS.items():
        value = (params or {}).get(name, "")
        value = value.strip() if isinstance(value, str) else value
        if value in ("", None):
            continue
        if name in ("project", "year") and ascii_int(str(value)) is None:
            continue
        active[name] = value
        qs = qs.filter(**{lookup: value})
    return qs.order_by("project__street__parent__path", "project_id", "id"), active


def _sums() -> dict:
    """The totals of a set of payments: count, total, to recover (negative rows), each state."""
    return {"count": Count("id"), "total": Coalesce(Sum("amount"), ZERO_SUM),
            "to_recover": Coalesce(Sum("amount", filter=Q(amount__lt=0)), ZERO_SUM),
            **{state: Coalesce(Sum("amount", filter=Q(state=state)), ZERO_SUM) for state in Payment.State.values}}


def totals(qs) -> dict:
    """Sums by state in one query (Sum in SQL); amounts to recover are negative rows."""
    return qs.order_by().aggregate(**_sums())


def by_district_and_year(user, params=None):
    """Totals per district and year (ledger summary): one grouped query."""
    qs, active = payments(user, params)
    rows = (qs.order_by().values("project__street__parent__code", "project__street__parent__name",
                                 "project__street__parent__path", "fiscal_year")
            .annotate(**_sums())
            .order_by("project__street__parent__path", "fiscal_year"))
    return list(rows), active


def totals_of(rows: list[dict]) -> dict:
    """`totals` of the payments `by_district_and_year` grouped, from its rows (every payment is in
    exactly one group): the summary's 合计 without a second pass over the payments."""
    return {name: sum((row[name] for row in rows), 0 if name == "count" else Decimal(0)) for name in _sums()}


def awaiting(user, state):
    """Payments the user's finance office may act on now (核定 or 拨付)."""
    from subsidies.permissions import PAYERS_BY_LEVEL, is_finance

    if not is_finance(user):
        return Payment.objects.none()
    payers = PAYERS_BY_LEVEL.get(user.office.region.level, set())
    return Payment.objects.visible_to(user).for_list().filter(state=state, payer__in=payers)


APPROVED_FILTERS = {"district": "project__street__parent__code", "street": "project__street__code"}


def approved_subsidies(user, params=None):
    """核定补助 A of the user's projects as soon as the computation has approved it — before any
    payment exists (a Fuyang project accepted whose street has not settled its spending yet) —
    with what has been planned and paid against it; (qs, filters). One query per page."""
    from django.db.models import OuterRef, Subquery

    from subsidies.models import ApprovedSubsidy

    paid = (Payment.objects.filter(project=OuterRef("project_id"), state=Payment.State.PAID).order_by()
            .values("project").annotate(s=Sum("amount")).values("s"))
    tranches = (Payment.objects.filter(project=OuterRef("project_id")).order_by()
                .values("project").annotate(n=Count("id")).values("n"))
    qs = (ApprovedSubsidy.objects.visible_to(user)
          .select_related("project__community", "project__street__parent", "policy_version")
          .annotate(paid=Coalesce(Subquery(paid), ZERO_SUM), tranches=Coalesce(Subquery(tranches), 0)))
    active = {}
    for name, lookup in APPROVED_FILTERS.items():
        value = (params or {}).get(name, "")
        value = value.strip() if isinstance(value, str) else ""
        if value and value.isascii() and value.isdigit() and len(value) <= 12:
            active[name] = value
            qs = qs.filter(**{lookup: value})
    return qs.order_by("project__street__parent__path", "project_id"), active


def approved_total(qs):
    return qs.order_by().aggregate(count=Count("id"), total=Coalesce(Sum("amount"), ZERO_SUM))
