"""Policy parameter versions: the documents' numbers ship in fixtures/policy_versions.json."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from policies import POLICIES
from projects.models import PolicyVersion

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "policy_versions.json"


def to_json(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def document_versions() -> list[dict]:
    """The first version of every policy: its document's own numbers."""
    return [
        {"policy_code": code, "effective_from": policy.in_force_from.isoformat(),
         "note": f"{policy.document_no} 原文参数",
         "parameters": {k: to_json(v) for k, v in policy.defaults().items()}}
        for code, policy in POLICIES.items()
    ]


@transaction.atomic
def load_policy_versions(path: Path = FIXTURE) -> int:
    created = 0
    for entry in json.loads(path.read_text(encoding="utf-8")):
        _, was_created = PolicyVersion.objects.get_or_create(
            policy_code=entry["policy_code"],
            effective_from=dt.date.fromisoformat(entry["effective_from"]),
            defaults={"parameters": entry["parameters"], "note": entry["note"]},
        )
        created += was_created
    return created
