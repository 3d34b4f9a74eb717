"""policies/ has no clock: facts without a listing date ask params_for about None, and the
Django side (projects.simulation) reads None as its own today."""

import datetime as dt

import pytest
from django.utils import timezone

from policies.simulate import simulate

FACTS = {"policy": "fuyang-2021", "district_code": "330111", "tier": "municipal", "category": "renovation",
         "task_year": 2022}


def test_facts_without_a_listing_date_ask_params_for_about_none():
    asked = []

    def params_for(code, on):
        asked.append((code, on))
        return None

    simulate(FACTS, params_for)
    assert asked == [("fuyang-2021", None)]


@pytest.mark.django_db
def test_parameters_in_force_reads_none_as_todays_version(monkeypatch):
    from projects import services, simulation

    asked = []
    monkeypatch.setattr(services, "version_in_force", lambda code, on: asked.append((code, on)))
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 5, 4))
    simulation.parameters_in_force("fuyang-2021", None)
    simulation.parameters_in_force("fuyang-2021", dt.date(2021, 8, 15))
    assert asked == [("fuyang-2021", dt.date(2026, 5, 4)), ("fuyang-2021", dt.date(2021, 8, 15))]
