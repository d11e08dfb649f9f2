"""The audit log is append-only: in the application, and on PostgreSQL in the database itself."""

import unittest

from django.db import DatabaseError, connection, transaction

from core.audit import record
from core.models import AppendOnlyError, AuditEvent
from core.testing import PersonaTestCase, make_school, make_user
from schools.models import Board

POSTGRESQL = unittest.skipUnless(
    connection.vendor == "postgresql", "the DELETE trigger exists on PostgreSQL only (see the migration)"
)


class AuditTestCase(PersonaTestCase):
    def setUp(self):
        super().setUp()
        self.event = record(actor=self.world.director, action="report.resolved", school=self.world.school)

    def assertUnchanged(self):
        self.assertEqual(
            AuditEvent.objects.filter(pk=self.event.pk).values_list("action", "actor_id").get(),
            ("report.resolved", self.world.director.id),
        )

    def refused_by_database(self, run):
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            run()
        self.assertUnchanged()

    def raw(self, sql: str, *params):
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, self.event.pk])


class TestAuditInTheApplication(AuditTestCase):
    def test_it_records_the_actor_with_a_snapshot_of_name_and_email(self):
        self.assertEqual(
            (self.event.actor, self.event.actor_name, self.event.actor_email),
            (self.world.director, "Marieke de Vries", "directie@schakel.test"),
        )

    def test_it_still_creates_rows_also_in_bulk(self):
        AuditEvent.objects.bulk_create([AuditEvent(action="a.one"), AuditEvent(action="a.two")])
        self.assertEqual(AuditEvent.objects.filter(action__startswith="a.").count(), 2)

    def test_it_refuses_update_and_delete_on_the_queryset(self):
        with self.assertRaisesMessage(AppendOnlyError, "cannot be updated"):
            AuditEvent.objects.filter(pk=self.event.pk).update(action="nothing.happened")
        with self.assertRaisesMessage(AppendOnlyError, "cannot be deleted"):
            AuditEvent.objects.all().delete()
        with self.assertRaises(AppendOnlyError), transaction.atomic():
            AuditEvent.objects.bulk_update([self.event], ["action"])
        self.assertUnchanged()

    def test_it_refuses_to_save_or_delete_an_existing_row(self):
        self.event.action = "nothing.happened"
        with self.assertRaisesMessage(AppendOnlyError, "cannot be changed"):
            self.event.save()
        with self.assertRaisesMessage(AppendOnlyError, "cannot be deleted"):
            self.event.delete()
        self.assertUnchanged()

    def test_deleting_the_actor_and_the_school_keeps_the_event_with_the_snapshot(self):
        school = make_school(Board.objects.create(name="Stichting Weg"), "De Vertrekker").school
        leaver = make_user("weg@example.test", "Wim", "Weg")
        event = record(actor=leaver, action="invitation.sent", school=school)
        leaver.delete()
        school.delete()
        kept = AuditEvent.objects.get(pk=event.pk)
        self.assertEqual(
            (kept.actor_id, kept.school_id, kept.actor_name, kept.actor_email, kept.action),
            (None, None, "Wim Weg", "weg@example.test", "invitation.sent"),
        )


class TestAuditInTheDatabase(AuditTestCase):
    """Around the application: the base manager (no refusal of its own) and raw SQL."""

    def test_it_refuses_an_update_through_the_orm(self):
        self.refused_by_database(
            lambda: AuditEvent._base_manager.filter(pk=self.event.pk).update(action="nothing.happened")
        )

    def test_it_refuses_an_update_in_raw_sql(self):
        self.refused_by_database(
            lambda: self.raw("UPDATE core_auditevent SET action = %s WHERE id = %s", "x")
        )

    def test_it_refuses_moving_the_event_to_another_actor(self):
        other = self.world.teacher.id
        self.refused_by_database(
            lambda: self.raw("UPDATE core_auditevent SET actor_id = %s WHERE id = %s", other)
        )

    def test_it_refuses_clearing_the_actor_together_with_another_change(self):
        self.refused_by_database(
            lambda: self.raw("UPDATE core_auditevent SET actor_id = NULL, actor_name = '' WHERE id = %s")
        )

    def test_it_allows_only_clearing_the_link_as_on_delete_set_null_does(self):
        self.raw("UPDATE core_auditevent SET actor_id = NULL, school_id = NULL WHERE id = %s")
        kept = AuditEvent.objects.get(pk=self.event.pk)
        self.assertEqual(
            (kept.actor_id, kept.actor_name, kept.action), (None, "Marieke de Vries", "report.resolved")
        )

    @POSTGRESQL
    def test_it_refuses_a_delete_through_the_orm(self):
        self.refused_by_database(lambda: AuditEvent._base_manager.filter(pk=self.event.pk).delete())

    @POSTGRESQL
    def test_it_refuses_a_delete_in_raw_sql(self):
        self.refused_by_database(lambda: self.raw("DELETE FROM core_auditevent WHERE id = %s"))

    @POSTGRESQL
    def test_truncate_still_empties_the_table_for_the_test_flush(self):
        with connection.cursor() as cursor:
            # The deferred foreign-key checks of this test's own inserts must run before a TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE core_auditevent")
        self.assertFalse(AuditEvent.objects.exists())
        record(actor=None, action="after.truncate")
        self.assertEqual(AuditEvent.objects.count(), 1)
