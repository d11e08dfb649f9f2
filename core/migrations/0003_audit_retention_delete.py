"""Retention may delete audit rows older than the school's audit period; nothing else may.

The PostgreSQL trigger (0002) refused every DELETE. It now lets a DELETE through only inside a transaction
that set `schoolplein.audit_retention` to 'on' (`SET LOCAL`, so it ends with the transaction), which only
`core.audit.purge` does. SQLite has no DELETE trigger (see 0002), so nothing changes there.
"""

from django.db import migrations

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('schoolplein.audit_retention', true) = 'on' THEN
        RETURN OLD;  -- the retention run, past the audit period
    END IF;
    IF TG_OP = 'UPDATE'
        AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
        AND (NEW.school_id IS NULL OR NEW.school_id IS NOT DISTINCT FROM OLD.school_id)
        AND to_jsonb(NEW) - 'actor_id' - 'school_id' = to_jsonb(OLD) - 'actor_id' - 'school_id'
    THEN
        RETURN NEW;  -- a deleted user or school: only the link goes
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused on core_auditevent', TG_OP;
END;
$$
"""

PREVIOUS_FUNCTION = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
        AND (NEW.school_id IS NULL OR NEW.school_id IS NOT DISTINCT FROM OLD.school_id)
        AND to_jsonb(NEW) - 'actor_id' - 'school_id' = to_jsonb(OLD) - 'actor_id' - 'school_id'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused on core_auditevent', TG_OP;
END;
$$
"""


def _on_postgresql(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.RunPython(_on_postgresql(POSTGRESQL_FUNCTION), _on_postgresql(PREVIOUS_FUNCTION)),
    ]
