"""The what-if computation shared by `simulate_policy`, the API and the calculator page."""

import logging

from django.db import DatabaseError
from django.utils import timezone

from policies.simulate import Simulation, explain, simulate

log = logging.getLogger(__name__)


def parameters_in_force(policy_code, on):
    """The administrator's parameter version in force on `on`, today when None (document
    values if none).

    A database that is not set up yet (a fresh clone running `simulate_policy`) means no
    administrator has changed anything: the document's own values apply.
    """
    from projects.services import version_in_force

    try:
        version = version_in_force(policy_code, on or timezone.localdate())
    except DatabaseError:
        log.warning("policy versions unavailable; using the document's parameters")
        return None
    return version.cleaned_parameters() if version else None


def simulate_with_parameters(data) -> dict:
    return simulate(data, params_for=parameters_in_force)


def explain_with_parameters(data) -> Simulation:
    """The same computation, with the rulings behind the JSON (the what-if page)."""
    return explain(data, params_for=parameters_in_force)
