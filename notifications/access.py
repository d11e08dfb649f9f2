"""Fetch-and-authorize for notifications: not-yours answers 404, exactly like missing."""

from django.db.models import Q
from django.http import Http404

from notifications.models import Dispatch, Notification, PushSubscription
from notifications.subjects import may_see_subject
from schools.queries import schools_administered_by, staff_roles_of


def access_notification(viewer, public_id: str) -> Notification:
    found = Notification.objects.filter(user=viewer, public_id=public_id).select_related("dispatch").first()
    if found is None:
        raise Http404
    return found


def access_push_subscription(viewer, public_id: str) -> PushSubscription:
    found = PushSubscription.objects.filter(user=viewer, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def access_subject_dispatches(viewer, subject_type: str, subject_id: str) -> list[Dispatch]:
    """The events about one subject, for its author (verified staff) or the school's director and office,
    as far as the subject's owner lets the viewer see the subject (a conversation: its participants)."""
    if not may_see_subject(viewer, subject_type, subject_id):
        raise Http404
    own = Q(actor=viewer, school_id__in=staff_roles_of(viewer).values("school_id"))
    administered = Q(school__in=schools_administered_by(viewer))
    dispatches = list(
        Dispatch.objects.filter(own | administered, subject_type=subject_type, subject_id=subject_id)
        .select_related("school")
        .order_by("created_at")
    )
    if not dispatches:
        raise Http404
    return dispatches
