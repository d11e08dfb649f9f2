from django.utils import timezone

from core.testing import PersonaTestCase
from media.models import MediaFile
from moderation import actions
from moderation.registry import reportable


def photo_in(world, group=None, *, by=None) -> MediaFile:
    """A processed photo among a group's files (the rows only: moderation never reads the bytes)."""
    return MediaFile.objects.create(
        school=world.school,
        uploaded_by=by or world.teacher,
        kind=MediaFile.Kind.PHOTO,
        status=MediaFile.Status.READY,
        ready_at=timezone.now(),
        original_name="schoolreis.jpg",
        carrier=group or world.group3,
    )


def report_about(world, item=None, *, by="parent", reason="privacy", text=""):
    item = item or photo_in(world)
    return actions.check_report(
        acting_user=getattr(world, by), entry=reportable("photo"), item=item, reason=reason, text=text
    )


class ModerationTestCase(PersonaTestCase):
    def photo(self, group=None, **kwargs) -> MediaFile:
        return photo_in(self.world, group, **kwargs)

    def report(self, item=None, **kwargs):
        return report_about(self.world, item, **kwargs)
