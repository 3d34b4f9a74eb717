"""Recompute a community's subsidies right after the facts that decide them change
(acceptance, naming, spending declared final), once the change has committed. The nightly
compute_subsidies stays the authority: a failure here is logged, never the user's error."""

import logging

from django.db import transaction

from projects import workflow

log = logging.getLogger(__name__)
RECOMPUTE_ON = {"record_acceptance", "record_naming"}


def _recompute(community_id: int) -> None:
    from subsidies.services import recompute_community

    try:
        recompute_community(community_id)
    except Exception:  # the nightly run will retry; the transition itself has committed
        log.exception("subsidies of community %s not recomputed", community_id)


def on_transition(sender, project, transition, **kwargs):
    if transition.action in RECOMPUTE_ON:
        transaction.on_commit(lambda: _recompute(project.community_id))


@workflow.effect("finalise_spending")
def settle_on_final_spending(*, project, user, cleaned, transition):
    """决算: the street's final spending S decides the settlement (富阳 五(三))."""
    transaction.on_commit(lambda: _recompute(project.community_id))


def on_facts_changed(sender, project, **kwargs):
    transaction.on_commit(lambda: _recompute(project.community_id))


def connect():
    from projects.signals import project_facts_changed, project_transitioned

    project_transitioned.connect(on_transition, dispatch_uid="subsidies.on_transition")
    project_facts_changed.connect(on_facts_changed, dispatch_uid="subsidies.on_facts_changed")
