"""超出文件执行期（沿用）: the one owner of the flag a project bound after its policy's own period
carries on every number it gets (DOMAIN policy periods; issue #16 item 9).

The rule itself is `policies.period_check` (after the document's period, until an administrator
records a continuation document number on the bound version). This module applies it three
ways, all from that one rule and one text:

- `period_note(project)`: the Check of one project (project page, API, statement, simulate);
- `flagged(basis, project)`: a deadline's basis with the flag appended (acceptance.deadlines,
  projects.deadlines' stored copy of the construction deadline);
- `version_flags()` / `flag_expression()`: set-based forms, computed once per policy version,
  for the daily sweep's SQL and the Excel/CSV exports (no per-row Python).
"""

import datetime as dt

from django.db.models import Case, CharField, Q, Value, When

from policies import POLICIES, get_policy, period_check
from policies.base import Check


def _continuation(version) -> str:
    return version.continuation_document_no if version is not None else ""


def period_note(project, on: dt.date | None = None) -> Check | None:
    """The project's 超出文件执行期 check, or None (no policy, within the period or continued).
    Bound on its listing date; `on` stands in before listing (a draft's simulation)."""
    policy = project.policy
    on = project.listed_on or on
    if policy is None or on is None:
        return None
    return period_check(policy, on, _continuation(project.policy_version))


def note_text(check: Check | None) -> str:
    """The flag as one line of text with its basis ("" without a flag)."""
    return f"{check.message}（依据：{check.basis}）" if check else ""


def append(basis: str, text: str) -> str:
    return f"{basis}；{text}" if text else basis


def flagged(basis: str, project) -> str:
    """`basis` with the project's flag appended, when it has one."""
    return append(basis, note_text(period_note(project)))


def version_flags(policy_code: str, continuation: str = "") -> tuple[dt.date | None, str]:
    """(cutoff, text) of a policy version: projects bound to it and listed after `cutoff` carry
    `text`; (None, "") when the document sets no period or the version records a continuation."""
    policy = get_policy(policy_code)
    if policy.period_to is None:
        return None, ""
    check = period_check(policy, policy.period_to + dt.timedelta(days=1), continuation)
    return (policy.period_to, note_text(check)) if check else (None, "")


def flag_expression(prefix: str = "") -> Case:
    """The flag text of each project as a SQL expression ("" without one), for querysets of
    CreationProject (`prefix` "project__" from a related model): one WHEN per policy that has
    a period, the version's continuation read by a join."""
    whens = []
    for policy in POLICIES.values():
        cutoff, text = version_flags(policy.code)
        if not text:
            continue
        uncontinued = (Q(**{f"{prefix}policy_version__isnull": True})
                       | Q(**{f"{prefix}policy_version__continuation_document_no": ""}))
        whens.append(When(Q(**{f"{prefix}policy_code": policy.code, f"{prefix}listed_on__gt": cutoff})
                          & uncontinued, then=Value(text)))
    return Case(*whens, default=Value(""), output_field=CharField())
