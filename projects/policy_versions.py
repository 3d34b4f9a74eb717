"""Policy parameter versions: the documents' numbers ship in fixtures/policy_versions.json."""

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from policies import POLICIES
from policies.base import parameters_as_json
from projects.models import PolicyVersion

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "policy_versions.json"


def document_versions() -> list[dict]:
    """The first version of every policy: its document's own numbers."""
    return [
        {"policy_code": code, "effective_from": policy.in_force_from.isoformat(),
         "note": f"{policy.document_no} 原文参数",
         "parameters": parameters_as_json(policy)}
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
