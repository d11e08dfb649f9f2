"""After publication: free slots, swaps between families, moves by hand, reminders."""

import datetime

from django.utils import timezone

from absences.tests.helpers import captured_events
from conferences.models import Slot, SwapRequest, Talk
from conferences.moves import (
    check_answer_swap,
    check_ask_swap,
    check_move_by_hand,
    check_take_free_slot,
    do_send_reminders,
)
from conferences.tests.helpers import ConferenceTestCase, make_round
from core.refusals import Invalid, NotAllowed


class MovesTestCase(ConferenceTestCase):
    def setUp(self):
        super().setUp()
        w = self.world
        self.round = make_round(w, phase="published", groups=[w.group3])
        self.daan = Talk.objects.get(round=self.round, pupils=w.child)
        self.yasmin = Talk.objects.get(round=self.round, pupils=w.class_parent_child)

    def free_start(self, *, last=True):
        free = Slot.objects.filter(round=self.round, teacher=self.world.teacher, talk__isnull=True)
        return free.order_by("-starts_at" if last else "starts_at").first().starts_at


class TestFreeSlot(MovesTestCase):
    def test_it_moves_at_once_and_frees_the_old_slot(self):
        old, target = self.yasmin.starts_at, self.free_start()
        check_take_free_slot(acting_user=self.world.class_parent, talk=self.yasmin, starts_at=target)
        self.yasmin.refresh_from_db()
        assert (self.yasmin.starts_at, self.yasmin.sequence) == (target, 1)
        # Duo teachers together: both teachers' slots moved along.
        assert Slot.objects.filter(talk=self.yasmin, starts_at=target).count() == 2
        assert not Slot.objects.filter(talk=self.yasmin, starts_at=old).exists()

    def test_a_slot_taken_in_between_is_refused_with_a_clear_message(self):
        target = self.free_start()
        check_take_free_slot(acting_user=self.world.parent, talk=self.daan, starts_at=target)
        with self.assertRaises(Invalid) as caught:
            check_take_free_slot(acting_user=self.world.class_parent, talk=self.yasmin, starts_at=target)
        assert caught.exception.code == "slot_taken"
        assert "Someone else just took that time" in caught.exception.detail
        self.yasmin.refresh_from_db()
        assert self.yasmin.sequence == 0 and Slot.objects.filter(talk=self.yasmin).count() == 2

    def test_it_refuses_another_familys_talk_and_outside_the_swap_phase(self):
        with self.assertRaises(NotAllowed):
            check_take_free_slot(acting_user=self.world.parent, talk=self.yasmin, starts_at=self.free_start())
        self.round.swaps_close_at = timezone.now() - datetime.timedelta(minutes=1)
        self.round.save()
        self.yasmin.round = self.round
        with self.assertRaises(Invalid) as caught:
            check_take_free_slot(
                acting_user=self.world.class_parent, talk=self.yasmin, starts_at=self.free_start()
            )
        assert caught.exception.code == "not_swap_phase"

    def test_a_time_that_is_not_a_slot_is_refused(self):
        with self.assertRaises(Invalid) as caught:
            check_take_free_slot(
                acting_user=self.world.class_parent,
                talk=self.yasmin,
                starts_at=self.free_start() + datetime.timedelta(minutes=3),
            )
        assert caught.exception.code == "no_slot"


class TestSwap(MovesTestCase):
    def test_a_swap_happens_when_the_other_family_accepts(self):
        w = self.world
        mine, theirs = self.yasmin.starts_at, self.daan.starts_at
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            swap = check_ask_swap(acting_user=w.class_parent, talk=self.yasmin, other=self.daan)
        assert seen[-1].kind == "conference.swap_asked" and set(seen[-1].recipient_ids) == {
            w.parent.pk,
            w.co_parent.pk,
        }
        self.yasmin.refresh_from_db()
        assert self.yasmin.starts_at == mine  # nothing moves before they accept
        with self.assertRaises(NotAllowed):
            check_answer_swap(acting_user=w.class_parent, swap=swap, accept=True)
        check_answer_swap(acting_user=w.co_parent, swap=swap, accept=True)
        self.yasmin.refresh_from_db()
        self.daan.refresh_from_db()
        assert (self.yasmin.starts_at, self.daan.starts_at) == (theirs, mine)
        assert (self.yasmin.sequence, self.daan.sequence) == (1, 1)
        assert set(Slot.objects.filter(talk=self.yasmin).values_list("starts_at", flat=True)) == {theirs}

    def test_a_swap_with_a_talk_that_moved_is_refused_and_nothing_changes(self):
        w = self.world
        swap = check_ask_swap(acting_user=w.class_parent, talk=self.yasmin, other=self.daan)
        check_take_free_slot(acting_user=w.parent, talk=self.daan, starts_at=self.free_start())
        moved_to = Talk.objects.get(pk=self.daan.pk).starts_at
        with self.assertRaises(Invalid) as caught:
            check_answer_swap(acting_user=w.parent, swap=swap, accept=True)
        assert caught.exception.code == "moved"
        swap.refresh_from_db()
        assert swap.status == SwapRequest.Status.PENDING
        assert Talk.objects.get(pk=self.daan.pk).starts_at == moved_to

    def test_a_declined_swap_changes_nothing_and_cannot_be_answered_twice(self):
        w = self.world
        swap = check_ask_swap(acting_user=w.class_parent, talk=self.yasmin, other=self.daan)
        check_answer_swap(acting_user=w.parent, swap=swap, accept=False)
        with self.assertRaises(Invalid):
            check_answer_swap(acting_user=w.parent, swap=swap, accept=True)
        assert Talk.objects.get(pk=self.yasmin.pk).sequence == 0


class TestByHandAndReminders(MovesTestCase):
    def test_a_teacher_places_by_hand_and_the_family_is_told(self):
        w = self.world
        target = self.free_start(last=False)
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            check_move_by_hand(acting_user=w.teacher, talk=self.yasmin, starts_at=target)
        assert [(e.kind, e.recipient_ids) for e in seen] == [("conference.moved", (w.class_parent.pk,))]

    def test_reminders_go_once_the_day_before(self):
        w = self.world
        first = Talk.objects.filter(round=self.round).order_by("starts_at").first()
        day_before = first.starts_at - datetime.timedelta(days=1)
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            assert do_send_reminders(now=day_before) == 2
            assert do_send_reminders(now=day_before) == 0
        assert {e.kind for e in seen} == {"conference.reminder"}
        assert {r for e in seen for r in e.recipient_ids} == {w.parent.pk, w.co_parent.pk, w.class_parent.pk}

    def test_a_talk_without_a_time_is_placed_by_hand_from_its_page(self):
        w = self.world
        Slot.objects.filter(talk=self.yasmin).update(talk=None)
        Talk.objects.filter(pk=self.yasmin.pk).update(starts_at=None, ends_at=None)
        client = self.client_for("teacher")
        page = client.get(f"/conferences/talks/{self.yasmin.public_id}/").content.decode()
        assert 'data-testid="free-times"' in page
        target = self.free_start()
        response = client.post(
            f"/conferences/talks/{self.yasmin.public_id}/move/", {"starts_at": target.isoformat()}
        )
        assert response.status_code == 302
        self.yasmin.refresh_from_db()
        assert self.yasmin.starts_at == target
        assert set(Slot.objects.filter(talk=self.yasmin).values_list("teacher_id", flat=True)) == {
            w.teacher.pk,
            w.duo_teacher.pk,
        }
