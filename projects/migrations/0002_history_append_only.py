"""History is append-only in the database too: UPDATE and DELETE on projects_transition
raise (PostgreSQL trigger). TRUNCATE, used only by test-database flushes and restores, is
a table-level operation and is not affected. SQLite relies on the ORM guard alone."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION projects_transition_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'projects_transition is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_transition_append_only
    BEFORE UPDATE OR DELETE ON projects_transition
    FOR EACH ROW EXECUTE FUNCTION projects_transition_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS projects_transition_append_only ON projects_transition;
DROP FUNCTION IF EXISTS projects_transition_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
