"""The community-level surveys move to residents.Survey without loss (residents 0002)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("residents", "0001_surveys_notices_prosperity"), ("communities", "0002_loginevent_operationlog")]
AFTER = [("residents", "0002_move_community_surveys"), ("communities", "0003_remove_survey_moved_to_residents")]


@pytest.mark.django_db(transaction=True)
def test_community_surveys_are_copied_and_tied_to_a_project_only_when_unambiguous():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Region, Community = old.get_model("communities", "Region"), old.get_model("communities", "Community")
        Survey, Project = old.get_model("communities", "Survey"), old.get_model("projects", "CreationProject")
        # its own street: a transactional test before this one may have flushed the reference data
        street = Region.objects.create(name="迁移街道", level="street")
        one = Community.objects.create(name="迁移甲社区", street=street)
        two = Community.objects.create(name="迁移乙社区", street=street)
        project = Project.objects.create(community=one, street=street, tier="municipal", category="renovation",
                                         batch_year=2024, listed_on=dt.date(2024, 3, 1))
        Survey.objects.create(community=one, kind="needs", conducted_on=dt.date(2023, 5, 1), sample_size=300)
        Survey.objects.create(community=one, kind="satisfaction", conducted_on=dt.date(2025, 5, 1), sample_size=200,
                              satisfied_share=91)
        Survey.objects.create(community=two, kind="satisfaction", conducted_on=dt.date(2025, 5, 1), sample_size=50)

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("residents", "Survey")
        rows = sorted(new.objects.values_list("community__name", "kind", "project_id", "source", "sample_size"))
        assert rows == [("迁移乙社区", "satisfaction", None, "staff", 50),       # no listed project: community-level
                        ("迁移甲社区", "needs", None, "staff", 300),             # before the listing: community-level
                        ("迁移甲社区", "satisfaction", project.pk, "staff", 200)]  # in the project's creation period
    finally:
        # back to the full schema whatever happened, or every later test meets the old tables
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
