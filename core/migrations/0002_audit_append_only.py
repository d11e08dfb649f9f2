"""The audit log keeps the actor's name and email, and the database refuses to change or remove its rows.

PostgreSQL (production): a row trigger refuses every DELETE and every UPDATE, except the one UPDATE that
deleting a user or a school causes: ON DELETE SET NULL of `actor_id` / `school_id` with every other
column as it was. The name and email snapshot keeps who it was. TRUNCATE fires no row trigger, so
Django's test flush (TRUNCATE on PostgreSQL) still empties the table. The trigger guards against the
application's mistakes and stray SQL, not against the table's owner, who can drop it.

SQLite (development, demo, the test suite): only the UPDATE trigger, with the same exception. No DELETE
trigger, because Django's flush between transactional tests empties tables with DELETE FROM on SQLite and
would fail. Note that SQLite forgets a table's triggers when a migration rebuilds the table (as SQLite
migrations do for most field changes): a later migration that alters AuditEvent must install them again.

Changing this table on purpose (a data migration) means dropping the trigger in that migration first.
"""

from django.conf import settings
from django.db import migrations, models

# Every column except the two links that ON DELETE SET NULL may clear, in SQLite's null-safe `IS`.
UNCHANGED = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in (
        "id",
        "at",
        "actor_name",
        "actor_email",
        "action",
        "object_type",
        "object_id",
        "ip_address",
        "data",
    )
)

POSTGRESQL_INSTALL = [
    """
    CREATE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
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
    """,
    """
    CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
        FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
]

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    WHEN NOT (
        {UNCHANGED}
        AND (NEW.actor_id IS NULL OR NEW.actor_id IS OLD.actor_id)
        AND (NEW.school_id IS NULL OR NEW.school_id IS OLD.school_id)
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused on core_auditevent');
    END
    """
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS core_auditevent_no_update"]


def snapshot_actors(apps, schema_editor):
    """Fill in the name and email of the actors of the events written so far."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for user in User.objects.filter(id__in=AuditEvent.objects.values("actor_id")):
        name = f"{user.first_name} {user.last_name}".strip() or user.email
        AuditEvent.objects.filter(actor_id=user.id).update(actor_name=name, actor_email=user.email)


def _run(schema_editor, statements: dict[str, list[str]]) -> None:
    """Run this database's statements; other databases get no trigger."""
    with schema_editor.connection.cursor() as cursor:
        for statement in statements.get(schema_editor.connection.vendor, []):
            cursor.execute(statement)


def install_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_INSTALL, "sqlite": SQLITE_INSTALL})


def remove_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_REMOVE, "sqlite": SQLITE_REMOVE})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_email",
            field=models.CharField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(snapshot_actors, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
