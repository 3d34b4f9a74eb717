"""The construction deadline (建设完成时限, DOMAIN §4.1): its date, its stored copy, and the date
that meets it. One owner for each:

- `construction_ruling`: the date and basis, computed by the bound policy from the project's
  facts and parameter version (the only facts the rule reads are the project's own columns).
- `store_construction_deadlines`: the only writer of CreationProject.construction_deadline and
  construction_deadline_basis, an indexed copy of the date for the list filters, the overdue
  report, the dashboards and the workbench. acceptance.deadlines calls it in the transaction
  that writes the construction Deadline row (on every transition, fact change and parameter
  change), so the copy and the row never differ; the scale generator calls it after its bulk
  load, before the sweep creates the rows from the copy.
- `acceptance_first_requested_on`: the date that meets the deadline, one SQL expression read
  by the per-project recomputation and by the daily sweep. DOMAIN §4.1: "The deadline is met
  when acceptance is requested on or before that date." The document does not say which
  request counts when acceptance fails and the street asks again after rectification; the
  platform's reading is the FIRST request: the street finished construction and asked in
  time, and the rectification order has its own deadline (§4.2).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from django.db.models import DateField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from policies.base import DeadlineRuling, Facts
from portal import generation
from projects.facts import core_facts
from projects.models import CreationProject, Transition
from projects.periods import flagged

CHUNK = 900  # ids per UPDATE (SQLite's bound-parameter limit)


def construction_ruling(project, params=None) -> DeadlineRuling | None:
    """The project's construction deadline under its policy; None before listing or without a
    policy. `params`: the bound version's cleaned parameters, when the caller has them."""
    policy = project.policy
    if policy is None or project.listed_on is None:
        return None
    if params is None:
        params = project.parameters()
    ruling = policy.construction_deadline(Facts(**core_facts(project)), params)
    # 超出文件执行期（沿用）: the flag goes with the basis, into the stored copy and the row
    return replace(ruling, basis=flagged(ruling.basis, project)) if ruling is not None else None


def _column_values(ruling: DeadlineRuling | None) -> tuple:
    return (ruling.date, ruling.basis) if ruling is not None else (None, "")


def store_construction_deadlines(projects: Iterable[CreationProject]) -> dict[int, DeadlineRuling | None]:
    """Compute the construction deadline of `projects` and write the stored copy, set-based (one
    UPDATE per distinct date and basis, rows already right untouched). Returns the rulings by
    project id and sets them on the instances. The only writer of the two columns."""
    rulings, groups, params = {}, defaultdict(list), {}
    for project in projects:
        version = project.policy_version_id
        if version not in params:
            params[version] = project.parameters()
        ruling = rulings[project.pk] = construction_ruling(project, params[version])
        date, basis = _column_values(ruling)
        groups[(date, basis)].append(project.pk)
        project.construction_deadline, project.construction_deadline_basis = date, basis
    written = 0
    for (date, basis), ids in groups.items():
        same = Q(construction_deadline__isnull=True) if date is None else Q(construction_deadline=date)
        for start in range(0, len(ids), CHUNK):
            written += (CreationProject.objects.filter(pk__in=ids[start:start + CHUNK])
                        .exclude(same & Q(construction_deadline_basis=basis))
                        .update(construction_deadline=date, construction_deadline_basis=basis))
    if written:
        generation.changed()  # the overdue board reads construction_deadline
    return rulings


def acceptance_first_requested_on():
    """The day acceptance was first requested (the date that meets the construction deadline,
    see the module docstring), as an expression over CreationProject rows. Projects without a
    recorded request transition (bulk loads) fall back to `acceptance_requested_on`."""
    first = (Transition.objects.filter(project=OuterRef("pk"), action="request_acceptance")
             .order_by("at", "id").annotate(day=TruncDate("at")).values("day")[:1])
    return Coalesce(Subquery(first, output_field=DateField()), F("acceptance_requested_on"),
                    output_field=DateField())


def construction_met_on(project: CreationProject):
    """`acceptance_first_requested_on` of one project (one query)."""
    return (CreationProject.objects.filter(pk=project.pk)
            .annotate(met_on=acceptance_first_requested_on()).values_list("met_on", flat=True).first())
