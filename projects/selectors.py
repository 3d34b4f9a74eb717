"""Reads for the project pages: scoped querysets shaped for each page."""

from django.db.models import Q, lookups
from django.db.models.query import ModelIterable
from django.utils import timezone

from communities.models import Community
from policies.base import TIER_LABELS
from portal import idlist  # noqa: F401  (registers `__in_ids`)
from portal.validators import ascii_int
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


# The project list's filters: (parameter, lookup). One reading for the page (`project_list`),
# the API's twin aside, and the ledger and overdue exports its buttons start
# (subsidies.reports, through `filter_projects`), so an export holds what the list shows.
LIST_FILTERS = (("district", "street__parent__code"), ("street", "street__code"), ("tier", "tier"),
                ("category", "category"), ("status", "status"), ("batch_year", "batch_year"))
LIST_FILTER_NAMES = (*(name for name, _ in LIST_FILTERS), "q", "overdue")


def filter_projects(projects, params) -> "tuple[object, dict]":
    """`projects` narrowed by the project list's filters in `params` (a QueryDict or a dict);
    returns (queryset, active filters) — bogus values filter nothing out or everything, as on
    the page, never an error."""
    filters = {}
    for name, lookup in LIST_FILTERS:
        value = params.get(name, "")
        value = value.strip()[:100] if isinstance(value, str) else ""
        if value:
            filters[name] = value
            if name == "batch_year" and ascii_int(value, 1900, 2100) is None:
                continue
            projects = projects.filter(**{lookup: value})
    text = params.get("q", "")
    text = text.strip()[:100] if isinstance(text, str) else ""
    if text:
        filters["q"] = text
        projects = projects.filter(text_q(text))
    if params.get("overdue") == "1":
        filters["overdue"] = "1"
        projects = projects.filter(overdue_q())
    return projects, filters


class InArrayOnce(lookups.In):
    """`column = ANY(ARRAY(subquery))` on PostgreSQL, plain IN elsewhere.

    ORed with another condition, `IN (subquery)` becomes a hashed SubPlan probed for every
    row of a sequential scan; ANY(ARRAY(…)) runs the subquery once and lets PostgreSQL use the
    column's index in a BitmapOr (name search at nation scale: 222 ms → 57 ms)."""

    lookup_name = "in_array_once"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


CreationProject._meta.get_field("community").register_lookup(InArrayOnce)
TEXT_SEARCH_IDS = 1000  # communities a name search passes by id; more: by subquery


def text_q(text: str) -> Q:
    """The project lists' name search (the page, its exports and the API): the project's name
    or its community's contains `text`.

    The matching communities are read once (a page sends COUNT, its keys and its rows: a
    2-character text, which no trigram serves, scanned all 120,000 names three times at nation
    scale), unless so many match that sending their ids costs more than the scans."""
    contains = "contains" if caseless(text) else "icontains"
    communities = Community.objects.filter(**{f"name__{contains}": text}).order_by().values_list("id", flat=True)
    found = list(communities[:TEXT_SEARCH_IDS + 1])
    by_community = (Q(community__in_ids=found) if len(found) <= TEXT_SEARCH_IDS
                    else Q(community__in_array_once=communities))
    return by_community | (~Q(name="") & Q(**{f"name__{contains}": text}))  # ~Q: the project_named index


def caseless(text: str) -> bool:
    """True when no character of `text` has a case (Chinese names, digits): then "contains,
    ignoring case" is plain "contains" — no character upper-cases into a caseless one — and
    PostgreSQL need not upper-case every name it scans (a 2-character name search, which no
    trigram index serves, at nation scale: 30.7 ms → 14.5 ms over 120,000 communities)."""
    return text.upper() == text == text.lower()


def project_list(user, params) -> "tuple[object, dict]":
    """The scoped, filtered and sorted project list; returns (queryset, active filters)."""
    projects, filters = filter_projects(CreationProject.objects.visible_to(user).for_list(), params)
    order = SORTABLE.get(params.get("sort", ""), "-id")
    return projects.order_by(order, "-id"), filters


class _WithStep(ModelIterable):
    """Rows of the review queue carry `step`, the chain step they wait on (no query)."""

    def __iter__(self):
        for project in super().__iter__():
            project.step = workflow.current_step(project)
            yield project


def review_waiting(level) -> Q:
    """The condition "waits on a step an office of chain `level` takes", over every policy's
    chains (the ones `workflow.current_step` reads): a condition on (policy, tier, status,
    review step)."""
    from policies import POLICIES

    waiting = Q(pk__in=[])  # no chain level (finance, admin…): nothing waits on the user
    for code, policy in POLICIES.items() if level is not None else ():
        for tier in policy.tiers:
            for statuses, chain in workflow.CHAIN_PHASES:
                steps = [i for i, step in enumerate(getattr(policy, chain)(tier)) if step.office_level == level]
                if steps:
                    waiting |= Q(policy_code=code, tier=tier, status__in=statuses, review_step__in=steps)
    return waiting


def review_queue(user):
    """Projects waiting on a step the user's office takes, as one queryset.

    The policies' chains become a condition (`review_waiting`), so the database filters,
    sorts, counts and pages the queue; every row still carries `step`.
    """
    queue = (review_waiting_projects(user).for_list()
             .select_related("policy_version").order_by("updated_at", "id"))
    queue._iterable_class = _WithStep
    return queue


def review_waiting_projects(user):
    """The review queue's projects, unshaped: what its to-do count counts (the same rows)."""
    level = user.office.chain_level if user.office_id else None
    return CreationProject.objects.visible_to(user).filter(review_waiting(level))


def display_name_sql(project: str = "p", community: str = "c") -> tuple[str, list]:
    """`project_display_name` as SQL over the projects table aliased `project` joined to its
    community aliased `community`: (expression, parameters)."""
    whens = " ".join("WHEN %s THEN %s" for _ in TIER_LABELS)
    params = [v for pair in TIER_LABELS.items() for v in pair]
    return (f"COALESCE(NULLIF({project}.name, ''), {community}.name || CASE {project}.tier {whens} ELSE '' END || %s)",
            [*params, "未来社区"])
