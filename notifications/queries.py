"""Viewer-scoped reads: my notifications, my unread count, a delivery report for staff."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from core.clock import SCHOOL_TZ
from notifications.models import Channel, Delivery, Notification


def notifications_of(viewer) -> QuerySet[Notification]:
    return Notification.objects.filter(user=viewer).select_related("dispatch", "dispatch__actor")


def with_translated_titles(notifications, language: str) -> None:
    """For a reader who chose "always translate": each item's `translated_title` in their language where the
    cache has it (one query, never the engine; the missing ones are asked for in the background)."""
    from translation.queries import cached_texts

    dispatches = {item.dispatch.public_id: item.dispatch for item in notifications}
    found = cached_texts("notice", dispatches.values(), language)
    for item in notifications:
        texts = found.get(item.dispatch.public_id)
        item.translated_title = texts[0] if texts else ""
        item.reading_language = language if texts else ""


@contextmanager
def headlines_and_translations(viewer, notifications, language: str):
    """Set the list's items' subjects' headlines, and read the cached translations of both the notices and
    their subjects into the language of a reader who always translates in one query rather than one per
    kind, for the page rendered inside the block (its `translatable` controls answer from them)."""
    from notifications.subjects import with_headlines
    from translation.queries import read_together
    from translation.sources import is_translatable

    wanted = {"notice": [item.dispatch.public_id for item in notifications]}
    for item in notifications:
        if is_translatable(item.dispatch.subject_type):
            wanted.setdefault(item.dispatch.subject_type, []).append(item.dispatch.subject_id)
    with read_together(language, wanted):
        with_headlines(viewer, notifications, language=language)
        yield


def per_day(notifications) -> list[tuple[datetime.date, list[Notification]]]:
    """Items grouped by the school-clock day they arrived, newest day first (the list is newest first)."""
    days: dict[datetime.date, list[Notification]] = {}
    for item in notifications:
        days.setdefault(timezone.localtime(item.created_at, SCHOOL_TZ).date(), []).append(item)
    return list(days.items())


def unread_count(viewer) -> int:
    """The badge: one cheap COUNT on an indexed pair of columns."""
    return Notification.objects.filter(user=viewer, read_at=None).count()


@dataclass
class DeliveryReport:
    recipients: int = 0
    email_sent: int = 0
    push_sent: int = 0
    in_digest: int = 0
    waiting: int = 0
    failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def delivery_report(dispatches) -> DeliveryReport:
    """Count the ledger of one subject's events by channel and state, in two queries."""
    rows = Delivery.objects.filter(dispatch__in=dispatches)
    report = DeliveryReport()
    report.recipients = rows.values("user_id").distinct().count()
    counted = rows.values("channel", "state", "reason", "error").annotate(n=Count("id"))
    for row in counted:
        state, channel, n = row["state"], row["channel"], row["n"]
        if state == Delivery.State.SENT:
            if channel == Channel.EMAIL:
                report.email_sent += n
            else:
                report.push_sent += n
        elif state == Delivery.State.FAILED:
            report.failed += n
            report.failures[row["error"]] = report.failures.get(row["error"], 0) + n
        elif state == Delivery.State.SKIPPED and row["reason"] == Delivery.Reason.DIGEST:
            report.in_digest += n
        elif state == Delivery.State.SKIPPED:
            label = str(Delivery.Reason(row["reason"]).label) if row["reason"] else ""
            key = f"{channel}: {label}"
            report.skipped[key] = report.skipped.get(key, 0) + n
        else:
            report.waiting += n
    return report
