"""The scale generator (demo.scale_seed) at a tiny scale: deterministic for a seed, every
status reached through the real workflow table, synthetic units marked, real ones untouched."""

import hashlib
import io
import itertools

import pytest
from django.core.management import call_command
from django.db import transaction

from communities.models import Community, Region
from demo.scale_seed import COMMUNITY_NOTE, SYNTHETIC, seed_scale
from projects.models import CreationProject, MonthlyReport, SpendingRecord, Status, Transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data():
    call_command("load_reference_data", verbosity=0)


def _digest() -> str:
    digest = hashlib.sha256()
    for model in (Region, Community, CreationProject, Transition, MonthlyReport, SpendingRecord):
        for row in model.objects.order_by("id").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _seed_and_roll_back(seed: int, check=None) -> str:
    with transaction.atomic():
        seed_scale("tiny", seed, io.StringIO(), derive=False)
        digest = _digest()
        if check:
            check()
        transaction.set_rollback(True)
    return digest


def test_same_seed_gives_the_same_rows_and_another_seed_does_not():
    first = _seed_and_roll_back(7)
    assert _seed_and_roll_back(7) == first
    assert _seed_and_roll_back(8) != first


def test_tiny_scale_reaches_statuses_through_the_workflow_and_marks_synthetic_units():
    real = list(Region.objects.order_by("id").values_list())

    def check():
        assert Community.objects.filter(notes=COMMUNITY_NOTE).count() == 70
        assert CreationProject.objects.filter(community__notes=COMMUNITY_NOTE).count() == 150
        assert list(Region.objects.filter(id__lte=real[-1][0]).order_by("id").values_list()) == real
        synthetic = Region.objects.filter(id__gt=real[-1][0])
        assert synthetic.exists() and all(r.name.endswith(SYNTHETIC) for r in synthetic)
        assert all(r.code[2:4] >= "51" for r in synthetic.exclude(level=Region.Level.PROVINCE))
        assert len(set(CreationProject.objects.values_list("status", flat=True))) >= 8
        for project in CreationProject.objects.filter(community__notes=COMMUNITY_NOTE).prefetch_related("transitions"):
            history = sorted(project.transitions.all(), key=lambda t: (t.at, t.id))
            assert history[0].action == "create"
            assert history[-1].to_status == project.status
            assert project.version == len(history)
            assert all(a.to_status == b.from_status for a, b in itertools.pairwise(history))
            if project.status in (Status.LISTED, Status.ACCEPTED, Status.NAMED):
                assert project.listed_on and project.policy_version_id

    _seed_and_roll_back(2026, check)


def test_a_second_run_on_the_same_database_adds_nothing():
    with transaction.atomic():
        seed_scale("tiny", 1, io.StringIO(), derive=False)
        projects = CreationProject.objects.count()
        out = io.StringIO()
        assert seed_scale("tiny", 1, out, derive=False) == {}
        assert "already present" in out.getvalue()
        assert CreationProject.objects.count() == projects
        transaction.set_rollback(True)
