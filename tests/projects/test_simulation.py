"""simulate_policy command and POST /api/policy-simulations/ (CONTRACTS §3)."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FACTS = {
    "policy": "fuyang-2021", "district_code": "330111", "tier": "municipal",
    "category": "renovation", "involves_demolition": False, "involves_relocation": False,
    "listed_on": "2021-08-15", "task_year": 2022, "accepted_on": "2023-05-10", "named_on": None,
    "spent": "12000000.00",
    "prior_approved_for_community": [{"tier": "municipal", "approved": "10000000.00"}],
}
EXPECTED = {
    "policy": "fuyang-2021",
    "construction_deadline": {"date": "2022-08-15", "basis": "富阳 四(六)"},
    "subsidy": {
        "approved": "10000000.00",
        "payments": [
            {"kind": "advance", "amount": "7000000.00", "payer": "district", "due_on": "2022-12-31"},
            {"kind": "settlement", "amount": "3000000.00", "payer": "district", "due_on": None},
        ],
        "settlement": {"payable": "10000000.00", "borne_by_street": "2000000.00",
                       "reward": "0.00", "total": "10000000.00", "payment": "3000000.00"},
        "basis": ["富阳 五(三)"],
    },
    "warnings": [],
    "prechecks": [],
}


def run_command(stdin: str):
    return subprocess.run([sys.executable, "manage.py", "simulate_policy"], input=stdin, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_command_reproduces_the_contract_example():
    result = run_command(json.dumps(FACTS))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == EXPECTED


@pytest.mark.parametrize("change, field", [
    ({"tier": "county"}, "tier"),
    ({"category": "villa"}, "category"),
    ({"policy": "hangzhou-2099"}, "policy"),
    ({"listed_on": "2021-02-30"}, "listed_on"),
    ({"spent": "12,000.00"}, "spent"),
    ({"district_code": "330106", "policy": None}, "district_code"),
])
def test_command_bad_input_exits_2_naming_the_field(change, field):
    result = run_command(json.dumps({**FACTS, **change}))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{field}:"), result.stderr


def test_command_malformed_json_exits_2():
    result = run_command("{not json")
    assert result.returncode == 2 and "JSON" in result.stderr


@pytest.mark.django_db
def test_api_returns_the_same_json(api_for):
    response = api_for("street_fuchun").post("/api/policy-simulations/", FACTS, format="json")
    assert response.status_code == 200
    assert response.json() == EXPECTED


@pytest.mark.django_db
def test_api_bad_input_is_400_naming_the_field(api_for):
    response = api_for("street_fuchun").post("/api/policy-simulations/", {**FACTS, "tier": "x"},
                                             format="json")
    assert response.status_code == 400 and "tier" in response.json()["errors"]


@pytest.mark.django_db
def test_api_malformed_json_is_400(api_for):
    response = api_for("street_fuchun").post("/api/policy-simulations/", data="{oops",
                                             content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_in_process_command_uses_administrator_parameters(monkeypatch, db):
    """A later parameter version changes the simulation (document values are only the first)."""
    import datetime as dt

    from django.core.management import call_command

    from projects.models import PolicyVersion

    PolicyVersion.objects.create(policy_code="fuyang-2021", effective_from=dt.date(2021, 6, 1),
                                 parameters={"years_renovation": 2}, note="测试")
    monkeypatch.setattr("sys.stdin", StringIO(json.dumps(FACTS)))
    out = StringIO()
    call_command("simulate_policy", stdout=out)
    deadline = json.loads(out.getvalue())["construction_deadline"]
    assert deadline["date"] == "2023-08-15" and deadline["basis"].startswith("管理员设定参数")
