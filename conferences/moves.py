"""Moving talks once the schedule exists: a family takes a free slot or swaps, staff place and move by hand.

Taking slots is a conditional UPDATE (`talk IS NULL`) that must change exactly the slots asked for: of two
families pressing for the same free slot at the same instant, one UPDATE sees the rows free and the other
sees none, and its transaction rolls back with a clear message (`conferences/tests/test_concurrency.py`
proves it on PostgreSQL). Every move raises the talk's `sequence`, so calendars replace the event with the
same UID, and tells the family.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conferences.actions import announce
from conferences.models import Phase, Slot, SwapRequest, Talk
from conferences.queries import teacher_ids_of_talk
from core.audit import record
from core.refusals import Invalid, NotAllowed


def talk_url(talk: Talk) -> str:
    return f"/conferences/talks/{talk.public_id}/"


def _check_swap_phase(talk: Talk, now=None) -> None:
    if talk.round.phase_at(now or timezone.now()) != Phase.SWAPS:
        raise Invalid(_("Times can only be changed while swaps are open."), code="not_swap_phase")


def _target_slots(talk: Talk, teacher_ids: list[int], starts_at: datetime.datetime) -> list[Slot]:
    """The slots the talk needs to start at `starts_at`: for each teacher, enough back-to-back slots."""
    lead = list(
        Slot.objects.filter(
            round_id=talk.round_id, teacher_id=teacher_ids[0], starts_at__gte=starts_at
        ).order_by("starts_at")[:12]
    )
    if not lead or lead[0].starts_at != starts_at:
        raise Invalid(_("There is no slot at that time."), code="no_slot")
    unit = lead[0].ends_at - lead[0].starts_at
    units = max(1, -(-datetime.timedelta(minutes=talk.minutes) // unit))
    run = lead[:units]
    if len(run) < units or any(run[k + 1].starts_at != run[k].ends_at for k in range(units - 1)):
        raise Invalid(_("The talk does not fit at that time."), code="no_room")
    starts = [s.starts_at for s in run]
    others = list(
        Slot.objects.filter(round_id=talk.round_id, teacher_id__in=teacher_ids[1:], starts_at__in=starts)
    )
    if len(others) != len(starts) * (len(teacher_ids) - 1):
        raise Invalid(_("The talk does not fit at that time."), code="no_room")
    return run + others


def _check_family_free(talk: Talk, starts_at, ends_at, *, ignore=()) -> None:
    """A family member's other talks stay a walking buffer away."""
    buffer = datetime.timedelta(minutes=talk.round.buffer_minutes)
    clash = (
        Talk.objects.filter(
            round_id=talk.round_id,
            guardians__in=talk.guardians.all(),
            starts_at__lt=ends_at + buffer,
            ends_at__gt=starts_at - buffer,
        )
        .exclude(pk=talk.pk)
        .exclude(pk__in=[t.pk for t in ignore])
    )
    if clash.exists():
        raise Invalid(_("That time is too close to another talk of your family."), code="family_clash")


def _moved(talk: Talk, slots: list[Slot], *, actor, action: str) -> None:
    old = talk.starts_at
    talk.starts_at = min(s.starts_at for s in slots)
    talk.ends_at = talk.starts_at + datetime.timedelta(minutes=talk.minutes)
    talk.room = slots[0].room
    talk.sequence += 1
    talk.moved_at = timezone.now()
    talk.save(update_fields=["starts_at", "ends_at", "room", "sequence", "moved_at"])
    record(
        actor=actor,
        action=action,
        target=talk,
        school=talk.round.school,
        old=old.isoformat() if old else None,
        new=talk.starts_at.isoformat(),
    )


def _take(talk: Talk, starts_at: datetime.datetime) -> list[Slot]:
    """Take the free slots for the talk at `starts_at`, free its old ones; the conditional UPDATE locks."""
    slots = _target_slots(talk, teacher_ids_of_talk(talk), starts_at)
    ids = [s.pk for s in slots if s.talk_id != talk.pk]
    taken = Slot.objects.filter(pk__in=ids, talk__isnull=True).update(talk=talk)
    if taken != len(ids):
        raise Invalid(
            _("Someone else just took that time. Choose another of the free times."), code="slot_taken"
        )
    Slot.objects.filter(talk=talk).exclude(pk__in=[s.pk for s in slots]).update(talk=None)
    return slots


def check_take_free_slot(*, acting_user, talk: Talk, starts_at: datetime.datetime, now=None) -> Talk:
    """A family moves its talk to a free time of the same teacher, at once."""
    _check_swap_phase(talk, now)
    if not talk.guardians.filter(pk=acting_user.pk).exists():
        raise NotAllowed(_("Only the family can move its own talk."))
    if starts_at == talk.starts_at:
        raise Invalid(_("Your talk is already at that time."), code="same_time")
    with transaction.atomic():
        _check_family_free(talk, starts_at, starts_at + datetime.timedelta(minutes=talk.minutes))
        slots = _take(talk, starts_at)
        _moved(talk, slots, actor=acting_user, action="conference.talk_moved")
    return talk


def check_move_by_hand(*, acting_user, talk: Talk, starts_at: datetime.datetime) -> Talk:
    """A teacher places a family (or moves one) into a free slot; the family is told."""
    if talk.round.published_at is None and not talk.round.plan_runs.exists():
        raise Invalid(_("Plan the round first."), code="not_planned")
    if talk.round.phase_at(timezone.now()) == Phase.CLOSED:
        raise Invalid(_("This round is closed."), code="closed")
    with transaction.atomic():
        _check_family_free(talk, starts_at, starts_at + datetime.timedelta(minutes=talk.minutes))
        slots = _take(talk, starts_at)
        _moved(talk, slots, actor=acting_user, action="conference.talk_placed")
        if talk.round.published_at is not None:
            announce(
                talk.round,
                kind="conference.moved",
                actor=acting_user,
                recipients=list(talk.guardians.values_list("id", flat=True)),
                title=gettext_noop("Your talk for %(round)s has a new time"),
                url=talk_url(talk),
            )
    return talk


# --- Swaps between two families -----------------------------------------------------------------------------


def check_ask_swap(*, acting_user, talk: Talk, other: Talk, now=None) -> SwapRequest:
    """Ask the family of `other` to trade times; it happens only when they accept."""
    _check_swap_phase(talk, now)
    if not talk.guardians.filter(pk=acting_user.pk).exists():
        raise NotAllowed(_("Only the family can move its own talk."))
    same_teachers = set(talk.slots.values_list("teacher_id", flat=True)) == set(
        other.slots.values_list("teacher_id", flat=True)
    )
    if other.round_id != talk.round_id or other.minutes != talk.minutes or not same_teachers or other == talk:
        raise Invalid(
            _("You can only swap with a talk of the same teacher and length."), code="not_swappable"
        )
    if SwapRequest.objects.filter(talk=talk, other=other, status=SwapRequest.Status.PENDING).exists():
        raise Invalid(_("You have already asked this."), code="twice")
    with transaction.atomic():
        swap = SwapRequest.objects.create(
            round=talk.round,
            talk=talk,
            other=other,
            talk_starts_at=talk.starts_at,
            other_starts_at=other.starts_at,
            requested_by=acting_user,
        )
        record(actor=acting_user, action="conference.swap_asked", target=swap, school=talk.round.school)
        announce(
            talk.round,
            kind="conference.swap_asked",
            actor=acting_user,
            recipients=list(other.guardians.values_list("id", flat=True)),
            title=gettext_noop("Another family asks to swap times for %(round)s"),
            url=talk_url(other),
        )
    return swap


def check_answer_swap(*, acting_user, swap: SwapRequest, accept: bool, now=None) -> SwapRequest:
    """The other family accepts (the talks trade slots) or declines; a talk that moved meanwhile refuses."""
    talk, other = swap.talk, swap.other
    if not other.guardians.filter(pk=acting_user.pk).exists():
        raise NotAllowed(_("Only the family that was asked can answer."))
    if swap.status != SwapRequest.Status.PENDING:
        raise Invalid(_("This request has been answered already."), code="answered")
    if accept:
        _check_swap_phase(other, now)
    with transaction.atomic():
        # Lock both talks' slots; then check nothing moved since the request was made.
        list(Slot.objects.select_for_update().filter(talk__in=[talk, other]))
        talk.refresh_from_db()
        other.refresh_from_db()
        if accept and (talk.starts_at != swap.talk_starts_at or other.starts_at != swap.other_starts_at):
            raise Invalid(
                _("One of the two talks has moved since the swap was asked; it can no longer be done."),
                code="moved",
            )
        changed = SwapRequest.objects.filter(pk=swap.pk, status=SwapRequest.Status.PENDING).update(
            status=SwapRequest.Status.ACCEPTED if accept else SwapRequest.Status.DECLINED,
            decided_at=timezone.now(),
        )
        if not changed:
            raise Invalid(_("This request has been answered already."), code="answered")
        swap.refresh_from_db()
        if accept:
            _check_family_free(talk, other.starts_at, other.ends_at, ignore=[other])
            _check_family_free(other, talk.starts_at, talk.ends_at, ignore=[talk])
            mine, theirs = list(talk.slots.all()), list(other.slots.all())
            Slot.objects.filter(pk__in=[s.pk for s in mine]).update(talk=other)
            Slot.objects.filter(pk__in=[s.pk for s in theirs]).update(talk=talk)
            _moved(talk, theirs, actor=acting_user, action="conference.swapped")
            _moved(other, mine, actor=acting_user, action="conference.swapped")
        record(
            actor=acting_user,
            action="conference.swap_answered",
            target=swap,
            school=talk.round.school,
            accept=accept,
        )
        announce(
            talk.round,
            kind="conference.swapped" if accept else "conference.swap_declined",
            actor=acting_user,
            recipients=list(talk.guardians.values_list("id", flat=True)),
            title=gettext_noop("Your swap for %(round)s was accepted")
            if accept
            else gettext_noop("Your swap for %(round)s was declined"),
            url=talk_url(talk),
        )
    return swap


def do_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind each family the day before its talk, once (the periodic tick calls this)."""
    from core.clock import SCHOOL_TZ

    now = now or timezone.now()
    tomorrow = timezone.localtime(now, SCHOOL_TZ).date() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time(0), tzinfo=SCHOOL_TZ)
    due = Talk.objects.filter(
        round__published_at__isnull=False,
        reminder_sent_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    ).select_related("round")
    sent = 0
    for talk in due:
        with transaction.atomic():
            if not Talk.objects.filter(pk=talk.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                continue
            announce(
                talk.round,
                kind="conference.reminder",
                actor=None,
                recipients=list(talk.guardians.values_list("id", flat=True)),
                title=gettext_noop("Tomorrow: your talk for %(round)s"),
                url=talk_url(talk),
            )
            sent += 1
    return sent
