"""Indexes for the project list at nation scale (issue #9; measured with
tests/benchmarks/bench_nation.py on 300,000 projects).

- project_batch_year_id: the batch_year filter's COUNT from the index, its page in id order.
- project_overdue_candidates: the overdue filter (listed or rectifying, construction deadline
  before today), by street so a city's or district's overdue projects are a few index ranges:
  COUNT and candidates from a small partial index instead of a table scan.
- project_named: the few projects with a name of their own, for the project-name half of the
  q search (most projects show their community's name).
- PostgreSQL only, when pg_trgm can be had: trigram GIN indexes on community names for the
  community half of the q search (LIKE and UPPER() LIKE). They serve texts of 3 or more
  characters; a 2-character text has no trigram to look up and is still a scan of the names.
"""

from django.db import DatabaseError, migrations, models, transaction

TRIGRAM_INDEXES = {
    "community_name_trgm": "CREATE INDEX IF NOT EXISTS community_name_trgm ON communities_community "
                           "USING gin (name gin_trgm_ops)",
    "community_name_upper_trgm": "CREATE INDEX IF NOT EXISTS community_name_upper_trgm ON communities_community "
                                 "USING gin (UPPER(name) gin_trgm_ops)",
}


def trigram_forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
    except DatabaseError:
        return  # no pg_trgm here (or no right to create it): the search scans, as before
    for sql in TRIGRAM_INDEXES.values():
        schema_editor.execute(sql, params=None)


def trigram_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_history_append_only"), ("communities", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="creationproject",
            index=models.Index(fields=["batch_year", "id"], name="project_batch_year_id"),
        ),
        migrations.AddIndex(
            model_name="creationproject",
            index=models.Index(fields=["street", "construction_deadline"], name="project_overdue_candidates",
                               condition=models.Q(status__in=["listed", "rectifying"])),
        ),
        migrations.AddIndex(
            model_name="creationproject",
            index=models.Index(fields=["id"], name="project_named", condition=~models.Q(name="")),
        ),
        migrations.RunPython(trigram_forwards, trigram_backwards),
    ]
