"""What other apps call: screen text as it is written, flags for staff, and muted threads.

flag_if_screened(item=message, text=body, school=school)   # in check_send_message, after the create
reflag_if_screened(item=rsvp, text=note, school=school)  # editable text: old flags go first
flagged_ids(messages) -> set of ids flagged                 # one query, for the thread page
muted_user_ids(conversation) -> set of user ids             # leave them out of message.created
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from moderation.models import Flag, Mute
from moderation.screening import Screening, screen


def flag_if_screened(*, item, text: str, school) -> Screening:
    """Screen the text; when it hits, the item is still delivered and staff see a flag beside it."""
    result = screen(text, school=school)
    if result.held:
        Flag.objects.create(
            school=school,
            item_type=ContentType.objects.get_for_model(item),
            item_id=item.pk,
            categories=result.categories,
        )
    return result


def reflag_if_screened(*, item, text: str, school) -> Screening:
    """Screen an item's changed text: the flags of its earlier text go, a hit flags it again."""
    Flag.objects.filter(item_type=ContentType.objects.get_for_model(item), item_id=item.pk).delete()
    return flag_if_screened(item=item, text=text, school=school) if text else Screening(held=False)


def hold_if_screened(*, item, text: str, school) -> Screening:
    """Screen the text; when it hits, hide the item and put it in the moderation queue for staff review."""
    from moderation.actions import announce_report
    from moderation.models import Report
    from moderation.registry import reportable_for

    result = flag_if_screened(item=item, text=text, school=school)
    entry = reportable_for(item)
    if not result.held or entry is None:
        return result
    entry.hide(item)
    item.hidden_at = timezone.now()
    place = entry.describe(item)
    report = Report.objects.create(
        school=place.school,
        group=place.group,
        reporter=None,
        item_type=ContentType.objects.get_for_model(item),
        item_id=item.pk,
        kind=entry.kind,
        label=place.label[:200],
        reason=Report.Reason.SCREENING,
        text=", ".join(result.categories),
    )
    announce_report(report, entry=entry, item=item, actor=None)
    return result


def flagged_ids(items) -> dict[int, list[str]]:
    """Item id → flagged categories, for the flagged ones among these items of one model."""
    items = list(items)
    if not items:
        return {}
    flags = Flag.objects.filter(
        item_type=ContentType.objects.get_for_model(items[0]), item_id__in=[item.pk for item in items]
    )
    return {item_id: categories for item_id, categories in flags.values_list("item_id", "categories")}


def muted_user_ids(item) -> set[int]:
    mutes = Mute.objects.filter(item_type=ContentType.objects.get_for_model(item), item_id=item.pk)
    return set(mutes.values_list("user_id", flat=True))


def is_muted(user, item) -> bool:
    return user.pk in muted_user_ids(item)
