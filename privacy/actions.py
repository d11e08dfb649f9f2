"""Retention periods, the retention run, and erasure on request: the writes of the privacy app.

Exports have their own module (`privacy/exports.py`), the retention table its own (`privacy/retention.py`).
"""

import datetime
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.clock import school_today
from core.refusals import Invalid
from privacy.erasure import do_erase_account, erasure_blockers
from privacy.models import Deletion, RetentionPeriod, RetentionRun
from privacy.retention import BY_KEY, periods_of, platform_periods

logger = logging.getLogger(__name__)

BATCH = 500
# The job runs once a day; a tick in between finds it done and does nothing.
RUN_EVERY = datetime.timedelta(hours=20)


def check_set_periods(*, acting_user, school, months: dict[str, int]) -> None:
    """Set the school's own periods (whole months, within each category's bounds), all or none."""
    problems = []
    for key, value in months.items():
        category = BY_KEY.get(key)
        if category is None:
            problems.append({"category": key, "problem": _("There is no such category.")})
        elif not category.min_months <= value <= category.max_months:
            problems.append(
                {
                    "category": key,
                    "problem": _("Choose between %(low)s and %(high)s months.")
                    % {"low": category.min_months, "high": category.max_months},
                }
            )
    if problems:
        raise Invalid(_("Some periods are not possible."), code="periods", problems=problems)
    with transaction.atomic():
        for key, value in months.items():
            RetentionPeriod.objects.update_or_create(
                school=school, category=key, defaults={"months": value, "changed_by": acting_user}
            )
        audit.record(actor=acting_user, action="privacy.retention_changed", school=school, months=months)


def due_counts(school, *, today: datetime.date | None = None) -> list[tuple]:
    """The dry run: per category, its period and how many rows the next run would delete."""
    today = today or school_today()
    return [
        (period, period.category.due(school, period.cutoff(today)).count()) for period in periods_of(school)
    ]


def _run_school(school, periods, today: datetime.date) -> int:
    """Delete what is due in each of these periods' categories (`school` None: the platform's own pass).

    Each batch adds its count to the run's log row for the category in the batch's own transaction, so
    the log holds every committed deletion, also of a run killed half-way.
    """
    deleted = 0
    for period in periods:
        category, cutoff, log = period.category, period.cutoff(today), None
        while True:
            ids = list(category.due(school, cutoff)[:BATCH])
            if not ids:
                break
            with transaction.atomic():
                removed = category.delete(school, ids)
                if removed and log is None:
                    log = Deletion.objects.create(
                        school=school, category=category.key, count=removed, ran_at=timezone.now()
                    )
                elif removed:
                    Deletion.objects.filter(id=log.id).update(count=F("count") + removed)
            deleted += removed
            if removed == 0:  # nothing could be deleted: stop instead of asking for the same rows again
                logger.warning(
                    "retention: %s of school %s made no progress", category.key, school and school.pk
                )
                break
    return deleted


def do_run_retention(*, today: datetime.date | None = None, force: bool = False) -> int:
    """Delete what is due at every school, then the platform's own rows, in batches; a run killed
    half-way is simply run again."""
    from schools.models import School

    now = timezone.now()
    if not force and RetentionRun.objects.filter(finished_at__gt=now - RUN_EVERY).exists():
        return 0
    today = today or school_today()
    run = RetentionRun.objects.create(started_at=now)
    deleted = sum(_run_school(school, periods_of(school), today) for school in School.objects.order_by("id"))
    deleted += _run_school(None, platform_periods(), today)
    RetentionRun.objects.filter(id=run.id).update(finished_at=timezone.now(), deleted=deleted)
    return deleted


def check_erase_guardian(*, acting_user, school, guardian, reason: str) -> None:
    """Erase a parent's account at their request, when the school agrees (the director decides)."""
    problems = erasure_blockers(guardian, school=school)
    if problems:
        raise Invalid(" ".join(problems), code="erasure_blocked")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why (for example: at the parent's request of a date)."), code="reason")
    do_erase_account(acting_user=acting_user, user_id=guardian.id, reason=reason[:200])
