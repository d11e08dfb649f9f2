"""Rounds, answers, planning and publishing through the actions, with the personas' school."""

import datetime

from absences.tests.helpers import captured_events
from conferences.actions import (
    EveningIn,
    check_answer,
    check_flag_pupil,
    check_plan,
    check_publish,
    check_update_round,
)
from conferences.models import Answer, PlanRun, Slot, Talk
from conferences.planner import is_back_to_back
from conferences.tests.helpers import ConferenceTestCase, at, make_round
from core.refusals import Invalid, NotAllowed


class TestAnswer(ConferenceTestCase):
    def test_it_saves_a_parents_preferences_once_for_all_children(self):
        round_ = make_round(self.world)
        answer = check_answer(
            acting_user=self.world.parent,
            round_=round_,
            choices={at(round_, 18): True, at(round_, 19, 30): False},
            interpreter="Arabisch",
        )
        assert [(c.starts_at, c.can) for c in answer.choices.order_by("starts_at")] == [
            (at(round_, 18), True),
            (at(round_, 19, 30), False),
        ]
        again = check_answer(acting_user=self.world.parent, round_=round_, choices={at(round_, 19): True})
        assert again.pk == answer.pk and again.choices.count() == 1 and again.interpreter == ""

    def test_it_refuses_times_outside_the_round_and_saves_nothing(self):
        round_ = make_round(self.world)
        with self.assertRaises(Invalid) as caught:
            check_answer(
                acting_user=self.world.parent,
                round_=round_,
                choices={at(round_, 18): True, at(round_, 21): True},
            )
        assert caught.exception.code == "outside_times"
        assert "outside this round's evenings" in caught.exception.detail
        assert not Answer.objects.exists()

    def test_it_refuses_a_parent_without_a_child_in_the_round(self):
        round_ = make_round(self.world)
        with self.assertRaises(NotAllowed):
            check_answer(acting_user=self.world.outsider, round_=round_, choices={})

    def test_it_refuses_after_preferences_closed(self):
        round_ = make_round(self.world, phase="planning")
        with self.assertRaises(Invalid) as caught:
            check_answer(acting_user=self.world.parent, round_=round_, choices={})
        assert caught.exception.code == "closed"


class TestPlan(ConferenceTestCase):
    def test_it_plans_every_family_with_siblings_back_to_back(self):
        w = self.world
        round_ = make_round(w, phase="planning")
        run = check_plan(acting_user=w.director, round_=round_, seed=7)
        assert run.seed == 7 and run.report["talks_placed"] == run.report["talks"] == 3
        parent_talks = list(Talk.objects.filter(round=round_, guardians=w.parent))
        assert len(parent_talks) == 2  # Daan in Groep 3, Eva in Groep 6
        from conferences.planner import Placement

        placements = [Placement("", (), t.starts_at, t.ends_at, t.room, ()) for t in parent_talks]
        assert is_back_to_back(placements, datetime.timedelta(minutes=round_.buffer_minutes))
        assert run.report["siblings_back_to_back"] == run.report["sibling_families"] == 1
        # Duo teachers together: both teachers' slots hold Daan's talk.
        daan = Talk.objects.get(round=round_, pupils=w.child)
        assert set(Slot.objects.filter(talk=daan).values_list("teacher_id", flat=True)) == {
            w.teacher.pk,
            w.duo_teacher.pk,
        }

    def test_the_same_seed_reproduces_the_schedule(self):
        w = self.world
        round_ = make_round(w, phase="planning")
        check_plan(acting_user=w.director, round_=round_, seed=3)
        first = list(
            Talk.objects.filter(round=round_).order_by("group_id", "starts_at").values_list("starts_at")
        )
        check_plan(acting_user=w.director, round_=round_, seed=3)
        assert (
            list(Talk.objects.filter(round=round_).order_by("group_id", "starts_at").values_list("starts_at"))
            == first
        )
        assert PlanRun.objects.filter(round=round_).count() == 2

    def test_it_says_how_many_talks_are_short_before_it_runs(self):
        w = self.world
        round_ = make_round(w, phase="planning", slot_minutes=60, break_after_minutes=0)
        check_update_round(
            acting_user=w.director,
            round_=round_,
            evenings=[EveningIn(round_.evenings.first().date, datetime.time(18), datetime.time(19))],
        )
        with self.assertRaises(Invalid) as caught:
            check_plan(acting_user=w.director, round_=round_)
        assert caught.exception.code == "too_few_slots"
        assert "1 talk does not fit" in caught.exception.detail
        assert caught.exception.problems[0]["short"] == 1
        assert not Talk.objects.exists() and not PlanRun.objects.exists()

    def test_a_flagged_family_is_placed_and_an_excluded_pupil_is_not(self):
        w = self.world
        round_ = make_round(w, phase="preferences")
        check_flag_pupil(
            acting_user=w.teacher,
            round_=round_,
            pupil=w.class_parent_child,
            priority=False,
            long_talk=False,
            excluded=True,
            parents_apart=False,
        )
        check_flag_pupil(
            acting_user=w.teacher,
            round_=round_,
            pupil=w.child,
            priority=True,
            long_talk=True,
            excluded=False,
            parents_apart=False,
        )
        with self.assertRaises(NotAllowed):
            check_flag_pupil(
                acting_user=w.teacher,
                round_=round_,
                pupil=w.sibling,
                priority=True,
                long_talk=False,
                excluded=False,
                parents_apart=False,
            )
        round_.preferences_close_at = round_.preferences_open_at + datetime.timedelta(hours=1)
        round_.save()
        check_plan(acting_user=w.director, round_=round_, seed=1)
        assert not Talk.objects.filter(pupils=w.class_parent_child).exists()
        daan = Talk.objects.get(pupils=w.child)
        assert daan.priority and daan.minutes == 20 and daan.starts_at is not None


class TestPublish(ConferenceTestCase):
    def test_it_publishes_and_tells_every_family(self):
        w = self.world
        round_ = make_round(w, phase="planned")
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_publish(acting_user=w.director, round_=round_)
        [event] = seen
        assert event.kind == "conference.published"
        assert set(event.recipient_ids) == {w.parent.pk, w.co_parent.pk, w.class_parent.pk}
        with self.assertRaises(Invalid):
            check_publish(acting_user=w.director, round_=round_)

    def test_it_refuses_to_publish_an_unplanned_round(self):
        round_ = make_round(self.world, phase="planning")
        with self.assertRaises(Invalid) as caught:
            check_publish(acting_user=self.world.director, round_=round_)
        assert caught.exception.code == "not_planned"

    def test_after_publication_times_cannot_change_but_a_room_can_and_is_told(self):
        w = self.world
        round_ = make_round(w, phase="published", default_room="Aula")
        with self.assertRaises(Invalid) as caught:
            check_update_round(acting_user=w.director, round_=round_, slot_minutes=15)
        assert caught.exception.code == "published"
        assert "Move talks one by one" in caught.exception.detail
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_update_round(acting_user=w.director, round_=round_, default_room="Speellokaal")
        [event] = seen
        assert event.kind == "conference.changed"
        assert set(event.recipient_ids) == {w.parent.pk, w.co_parent.pk, w.class_parent.pk}
        talks = Talk.objects.filter(round=round_)
        assert {(t.room, t.sequence) for t in talks} == {("Speellokaal", 1)}


class TestTeacherTimesAndGroups(ConferenceTestCase):
    def test_a_teachers_times_bound_their_talks(self):
        from conferences.actions import TimeIn, check_set_teacher_times

        w = self.world
        round_ = make_round(w, phase="preferences")
        evening = round_.evenings.get()
        check_set_teacher_times(
            acting_user=w.other_teacher,
            round_=round_,
            times=[TimeIn(evening, datetime.time(19, 30), datetime.time(20))],
        )
        with self.assertRaises(Invalid) as caught:
            check_set_teacher_times(
                acting_user=w.other_teacher,
                round_=round_,
                times=[TimeIn(evening, datetime.time(17, 30), datetime.time(20))],
            )
        assert caught.exception.code == "outside_evening"
        with self.assertRaises(NotAllowed):
            check_set_teacher_times(acting_user=w.director, round_=round_, times=[])
        round_.preferences_close_at = round_.preferences_open_at + datetime.timedelta(hours=1)
        round_.save()
        check_plan(acting_user=w.director, round_=round_, seed=5)
        eva = Talk.objects.get(round=round_, pupils=w.sibling)
        assert at(round_, 19, 30) <= eva.starts_at and eva.ends_at <= at(round_, 20)
        assert set(
            Slot.objects.filter(round=round_, teacher=w.other_teacher).values_list("starts_at", flat=True)
        ) == {
            at(round_, 19, 30),
            at(round_, 19, 40),
            at(round_, 19, 50),
        }

    def test_a_group_gets_its_own_talk_length_and_room(self):
        from conferences.actions import check_set_group

        w = self.world
        round_ = make_round(w, phase="preferences")
        check_set_group(
            acting_user=w.other_teacher, round_=round_, group=w.group6, slot_minutes=15, room="Lokaal 12"
        )
        with self.assertRaises(Invalid):
            check_set_group(
                acting_user=w.other_teacher, round_=round_, group=w.group6, slot_minutes=90, room=""
            )
        round_.preferences_close_at = round_.preferences_open_at + datetime.timedelta(hours=1)
        round_.save()
        check_plan(acting_user=w.director, round_=round_, seed=5)
        eva = Talk.objects.get(round=round_, pupils=w.sibling)
        assert (eva.minutes, eva.room, eva.ends_at - eva.starts_at) == (
            15,
            "Lokaal 12",
            datetime.timedelta(minutes=15),
        )


class TestNotifications(ConferenceTestCase):
    def test_publishing_reaches_each_family_through_the_notifications_app(self):
        from django.utils import translation

        from notifications.models import Delivery, Notification

        w = self.world
        round_ = make_round(w, phase="planned")
        with self.captureOnCommitCallbacks(execute=True):
            check_publish(acting_user=w.director, round_=round_)
        items = Notification.objects.filter(dispatch__kind="conference.published")
        assert set(items.values_list("user_id", flat=True)) == {
            w.parent.pk,
            w.co_parent.pk,
            w.class_parent.pk,
        }
        with translation.override("nl"):
            assert items.first().title == "Uw tijd voor Gespreksronde najaar is bekend"
        # A time is easy to miss: it goes by email too, by default.
        assert Delivery.objects.filter(user=w.parent, channel="email").exists()
