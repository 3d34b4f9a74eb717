"""A paid payment (已拨付) is final in the database too: UPDATE or DELETE of a row whose
state is 'paid' raises (PostgreSQL trigger). Planned and approved rows stay updatable
(recomputation, 核定, 拨付). TRUNCATE, used only by test-database flushes and restores, is
a table-level operation and is not affected. SQLite relies on the ORM guard alone."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION subsidies_payment_paid_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'paid' THEN
        RAISE EXCEPTION 'subsidies_payment % is paid and final: % refused', OLD.id, TG_OP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER subsidies_payment_paid_is_final
    BEFORE UPDATE OR DELETE ON subsidies_payment
    FOR EACH ROW EXECUTE FUNCTION subsidies_payment_paid_is_final();
"""
DROP = """
DROP TRIGGER IF EXISTS subsidies_payment_paid_is_final ON subsidies_payment;
DROP FUNCTION IF EXISTS subsidies_payment_paid_is_final();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
