import datetime
from dataclasses import replace

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from absences.models import Absence
from conversations.models import Conversation
from core.audit import record
from core.clock import SCHOOL_TZ, school_today
from core.models import AuditEvent
from core.testing import PersonaTestCase, make_user
from core.viewer import verified
from media.storage import media_storage
from media.tests.helpers import jpeg_bytes
from posts.actions import Draft, check_publish_post
from privacy import actions
from privacy.models import Deletion, RetentionPeriod
from privacy.retention import months_before, periods_of
from privacy.tests.helpers import busy_family, due, upload
from schools.models import Guardianship


def ago(**kwargs) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**kwargs)


class TestMonthsBefore(PersonaTestCase):
    def test_it_counts_back_whole_months_and_keeps_to_the_month_end(self):
        self.assertEqual(months_before(datetime.date(2026, 12, 5), 12), datetime.date(2025, 12, 5))
        self.assertEqual(months_before(datetime.date(2026, 3, 31), 1), datetime.date(2026, 2, 28))
        self.assertEqual(months_before(datetime.date(2026, 1, 15), 60), datetime.date(2021, 1, 15))


class TestPostsOfAnEndedYear(PersonaTestCase):
    def setUp(self):
        super().setUp()
        w = self.world
        self.old_photo = upload(self, "teacher", jpeg_bytes(500, 400), "vorig-jaar.jpg")
        with self.captureOnCommitCallbacks(execute=True):
            self.old_post = check_publish_post(
                acting_user=verified(w.teacher),
                groups=[w.group3],
                draft=Draft(title="Vorig jaar"),
                media_files=[self.old_photo],
            )
            self.new_post = check_publish_post(
                acting_user=verified(w.teacher), groups=[w.group3], draft=Draft(title="Dit jaar")
            )
        type(self.old_post).objects.filter(id=self.old_post.id).update(
            published_at=timezone.make_aware(
                datetime.datetime.combine(w.last_year.starts_on, datetime.time(12))
            )
            + datetime.timedelta(days=30)
        )
        self.stored = list(self.old_photo.renditions.values_list("storage_name", flat=True))

    def test_they_stay_for_the_period_after_the_year_ended(self):
        w = self.world
        within = w.last_year.ends_on + datetime.timedelta(days=330)
        self.assertEqual(actions.do_run_retention(today=within, force=True), 0)
        self.assertTrue(type(self.old_post).objects.filter(id=self.old_post.id).exists())

    def test_then_they_go_with_their_files_and_the_log_says_how_many(self):
        w = self.world
        after = w.last_year.ends_on + datetime.timedelta(days=400)
        due = dict(
            (period.category.key, count) for period, count in actions.due_counts(w.school, today=after)
        )
        self.assertEqual(due["class_posts"], 1)
        self.assertTrue(all(media_storage().exists(name) for name in self.stored))
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(today=after, force=True)
        self.assertFalse(type(self.old_post).objects.filter(id=self.old_post.id).exists())
        self.assertTrue(type(self.new_post).objects.filter(id=self.new_post.id).exists())
        self.assertFalse(any(media_storage().exists(name) for name in self.stored))
        self.assertFalse(type(self.old_photo).objects.filter(id=self.old_photo.id).exists())
        log = Deletion.objects.get(school=w.school, category="class_posts")
        self.assertEqual(log.count, 1)

    def test_a_school_keeps_them_longer_when_it_chooses(self):
        w = self.world
        actions.check_set_periods(acting_user=w.director, school=w.school, months={"class_posts": 24})
        after = w.last_year.ends_on + datetime.timedelta(days=400)
        actions.do_run_retention(today=after, force=True)
        self.assertTrue(type(self.old_post).objects.filter(id=self.old_post.id).exists())


class TestOtherCategories(PersonaTestCase):
    def setUp(self):
        super().setUp()
        busy_family(self)

    def test_messages_absences_notifications_and_audit_rows_go_after_their_periods(self):
        w = self.world
        Conversation.objects.filter(id=self.conversation.id).update(last_message_at=ago(days=760))
        recent = Conversation.objects.exclude(id=self.conversation.id).get()
        old_absence = Absence.objects.create(
            school=w.school, pupil=w.child, kind="dentist", starts_on=months_before(school_today(), 61)
        )
        new_absence = Absence.objects.create(
            school=w.school, pupil=w.child, kind="dentist", starts_on=months_before(school_today(), 59)
        )
        old_audit = record(actor=w.parent, action="test.old", school=w.school)
        AuditEvent.objects.filter(
            id=old_audit.id
        )  # the row itself cannot be changed; insert an old one instead
        old_row = AuditEvent.objects.create(at=ago(days=800), action="test.old", school=w.school)
        with self.captureOnCommitCallbacks(execute=True):
            deleted = actions.do_run_retention(force=True)
        self.assertGreaterEqual(deleted, 3)
        self.assertFalse(Conversation.objects.filter(id=self.conversation.id).exists())
        self.assertTrue(Conversation.objects.filter(id=recent.id).exists())
        self.assertFalse(Absence.objects.filter(id=old_absence.id).exists())
        self.assertTrue(Absence.objects.filter(id=new_absence.id).exists())
        self.assertFalse(AuditEvent.objects.filter(id=old_row.id).exists())
        self.assertTrue(AuditEvent.objects.filter(id=old_audit.id).exists())
        self.assertEqual(
            set(Deletion.objects.filter(school=w.school).values_list("category", flat=True)),
            {"messages", "absences", "audit"},
        )

    def test_the_dry_run_counts_what_the_run_deletes(self):
        w = self.world
        Conversation.objects.filter(school=w.school).update(last_message_at=ago(days=760))
        due = {period.category.key: count for period, count in actions.due_counts(w.school)}
        self.assertEqual(due["messages"], 2)
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_run_retention(force=True)
        self.assertEqual(Deletion.objects.get(school=w.school, category="messages").count, 2)

    def test_a_run_killed_half_way_goes_on_where_it_stopped(self):
        w = self.world
        Conversation.objects.filter(school=w.school).update(last_message_at=ago(days=760))
        real = periods_of(w.school)
        calls = []

        def dies_after_one_batch(school, ids):
            calls.append(ids)
            if len(calls) > 1:
                raise RuntimeError("worker killed")
            return next(p for p in real if p.category.key == "messages").category.delete(school, ids)

        broken = [
            replace(p, category=replace(p.category, delete=dies_after_one_batch))
            if p.category.key == "messages"
            else p
            for p in real
        ]
        from unittest import mock

        with (
            mock.patch("privacy.actions.periods_of", return_value=broken),
            mock.patch("privacy.actions.BATCH", 1),
            self.assertRaises(RuntimeError),
        ):
            actions.do_run_retention(force=True)
        self.assertEqual(Conversation.objects.filter(school=w.school).count(), 1)
        # The batch that was committed is in the log, though the run never finished the category.
        logged = Deletion.objects.filter(school=w.school, category="messages")
        self.assertEqual(sum(logged.values_list("count", flat=True)), 1)
        actions.do_run_retention(force=True)
        self.assertEqual(Conversation.objects.filter(school=w.school).count(), 0)
        self.assertEqual(sum(logged.values_list("count", flat=True)), 2)

    def test_one_log_row_per_category_and_run_however_many_batches(self):
        w = self.world
        Conversation.objects.filter(school=w.school).update(last_message_at=ago(days=760))
        from unittest import mock

        with mock.patch("privacy.actions.BATCH", 1):
            actions.do_run_retention(force=True)
        self.assertEqual(
            list(
                Deletion.objects.filter(school=w.school, category="messages").values_list("count", flat=True)
            ),
            [2],
        )

    def test_it_runs_once_a_day(self):
        self.assertGreaterEqual(actions.do_run_retention(force=True), 0)
        Conversation.objects.update(last_message_at=ago(days=760))
        self.assertEqual(actions.do_run_retention(), 0)
        self.assertTrue(Conversation.objects.exists())


class TestAuditRowsOfNoSchool(PersonaTestCase):
    """Sign-ins, password and two-factor changes and a parent's own export have no school: they follow the
    longest audit period of the schools their actor belongs to, or the default 24 months."""

    DAY = datetime.date(2015, 3, 10)

    def login_row(self, user) -> AuditEvent:
        at = timezone.make_aware(datetime.datetime.combine(self.DAY, datetime.time(9)), SCHOOL_TZ)
        return AuditEvent.objects.create(at=at, actor=user, action="account.login")

    def exists(self, row) -> bool:
        return AuditEvent.objects.filter(id=row.id).exists()

    def test_a_row_just_inside_the_period_stays_and_just_outside_goes(self):
        w = self.world
        row = self.login_row(w.parent)
        last_day_kept = datetime.date(2017, 3, 10)  # 24 months after the row's day
        self.assertEqual(due(w.school, last_day_kept)["audit"], 0)
        actions.do_run_retention(today=last_day_kept, force=True)
        self.assertTrue(self.exists(row))
        next_day = last_day_kept + datetime.timedelta(days=1)
        self.assertEqual(due(w.school, next_day)["audit"], 1)
        actions.do_run_retention(today=next_day, force=True)
        self.assertFalse(self.exists(row))
        self.assertEqual(Deletion.objects.get(school=w.school, category="audit").count, 1)

    def test_it_follows_the_longest_period_of_the_actors_schools(self):
        w = self.world
        Guardianship.objects.create(guardian=w.parent, pupil=w.other_school_child)
        actions.check_set_periods(acting_user=w.director, school=w.school, months={"audit": 36})
        actions.check_set_periods(acting_user=w.other_director, school=w.other_school, months={"audit": 48})
        row = self.login_row(w.parent)
        after_three_years = datetime.date(2018, 3, 11)
        self.assertEqual(
            (due(w.school, after_three_years)["audit"], due(w.other_school, after_three_years)["audit"]),
            (0, 0),
        )
        actions.do_run_retention(today=after_three_years, force=True)
        self.assertTrue(self.exists(row))
        last_day_kept, next_day = datetime.date(2019, 3, 10), datetime.date(2019, 3, 11)
        actions.do_run_retention(today=last_day_kept, force=True)
        self.assertTrue(self.exists(row))
        # Counted once, on the page of the school whose period it follows.
        self.assertEqual((due(w.school, next_day)["audit"], due(w.other_school, next_day)["audit"]), (0, 1))
        actions.do_run_retention(today=next_day, force=True)
        self.assertFalse(self.exists(row))
        self.assertEqual(Deletion.objects.get(school=w.other_school, category="audit").count, 1)

    def test_a_row_of_nobody_at_a_school_goes_after_24_months(self):
        w = self.world
        loner, erased = (
            make_user("los@example.test", "Los", "Zand"),
            make_user("weg@example.test", "Weg", "Af"),
        )
        rows = [self.login_row(loner), self.login_row(erased), self.login_row(w.teacher)]
        erased.delete()
        actions.check_set_periods(acting_user=w.director, school=w.school, months={"audit": 84})
        actions.do_run_retention(today=datetime.date(2017, 3, 10), force=True)
        self.assertTrue(all(self.exists(row) for row in rows))
        actions.do_run_retention(today=datetime.date(2017, 3, 11), force=True)
        self.assertEqual([self.exists(row) for row in rows], [False, False, True])  # the teacher's: 84 months
        self.assertEqual(Deletion.objects.get(school=None, category="audit").count, 2)

    def test_the_api_counts_them_with_the_schools_audit_rows(self):
        w = self.world
        self.login_row(w.parent)
        AuditEvent.objects.create(at=ago(days=365 * 30), action="test.old", school=w.school)
        rows = self.login("director").get(f"/api/v1/schools/{w.school.public_id}/retention").json()["periods"]
        self.assertEqual({r["category"]: r["due"] for r in rows}["audit"], 2)


class TestPeriods(PersonaTestCase):
    def test_out_of_bounds_is_refused_and_nothing_is_saved(self):
        w = self.world
        from core.refusals import Invalid

        with self.assertRaises(Invalid) as refused:
            actions.check_set_periods(
                acting_user=w.director, school=w.school, months={"absences": 12, "messages": 36}
            )
        self.assertEqual([p["category"] for p in refused.exception.problems], ["absences"])
        self.assertFalse(RetentionPeriod.objects.exists())

    def test_the_page_shows_the_table_and_the_director_changes_it(self):
        page = self.client_for("director").get(f"/school/{self.world.school.public_id}/data/")
        self.assertContains(page, 'data-testid="retention-row"', count=9)
        saved = self.client_for("director").post(
            f"/school/{self.world.school.public_id}/data/", {"months_messages": "36"}
        )
        self.assertEqual(saved.status_code, 302)
        self.assertEqual(RetentionPeriod.objects.get().months, 36)
        refused = self.client_for("director").post(
            f"/school/{self.world.school.public_id}/data/", {"months_absences": "1"}
        )
        self.assertEqual(refused.status_code, 422)

    def test_office_reads_it_but_cannot_change_it(self):
        url = f"/school/{self.world.school.public_id}/data/"
        self.assertEqual(self.client_for("office").get(url).status_code, 200)
        self.assertEqual(self.client_for("office").post(url, {"months_messages": "36"}).status_code, 404)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_outside_the_retention_run_the_audit_log_still_refuses_deletes():
    row = AuditEvent.objects.create(action="test.kept")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [row.id])
    from core.audit import purge

    assert purge([row.id]) == 1
