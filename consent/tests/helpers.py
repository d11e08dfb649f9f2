"""Consent test helpers: answers by persona, a real photograph with a face, photos on a group."""

from functools import cache

import numpy as np
import pyvips
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from consent.actions import check_answer, do_ensure_default_purposes
from consent.models import PhotoTag, Purpose, Scope
from media.models import MediaFile
from media.tests.helpers import MediaTestCase


@cache
def astronaut_jpeg(size: int = 1600) -> bytes:
    """scikit-image's astronaut (a real photograph with one frontal face), scaled up to `size` pixels."""
    from skimage import data

    image = pyvips.Image.new_from_array(np.ascontiguousarray(data.astronaut())).copy(interpretation="srgb")
    return image.resize(size / image.width).jpegsave_buffer(Q=90)


def pixels(image: pyvips.Image) -> np.ndarray:
    return np.ndarray(
        buffer=image.write_to_memory(), dtype=np.uint8, shape=(image.height, image.width, image.bands)
    )


class ConsentTestCase(MediaTestCase):
    """The persona world with the five default purposes of De Schakel."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        do_ensure_default_purposes(school=cls.world.school)

    def purpose(self, scope: str = Scope.CLASS) -> Purpose:
        return Purpose.objects.select_related("current").get(school=self.world.school, current__scope=scope)

    def answer(self, persona: str, child: str, given: bool, *scopes: str):
        pupil = getattr(self.world, child)
        answers = {self.purpose(scope): given for scope in (scopes or [Scope.CLASS])}
        return check_answer(acting_user=getattr(self.world, persona), pupil=pupil, answers=answers)

    def consent_all(self, child: str = "child", *scopes: str):
        """Every guardian of the child says yes."""
        pupil = getattr(self.world, child)
        for guardianship in pupil.guardianships.all():
            check_answer(
                acting_user=guardianship.guardian,
                pupil=pupil,
                answers={self.purpose(scope): True for scope in (scopes or [Scope.CLASS, Scope.SCHOOL])},
            )

    def fake_photo(self, carrier=None, *, tagged=(), by="teacher", withheld=False) -> MediaFile:
        """A ready photo row without bytes (enough for checks), tagged with the given personas' children."""
        carrier = carrier or self.world.group3
        media = MediaFile.objects.create(
            school=self.world.school,
            uploaded_by=getattr(self.world, by),
            kind=MediaFile.Kind.PHOTO,
            status=MediaFile.Status.READY,
            ready_at=timezone.now(),
            original_name="foto.jpg",
            carrier_type=ContentType.objects.get_for_model(carrier),
            carrier_id=carrier.id,
            withheld_at=timezone.now() if withheld else None,
        )
        for child in tagged:
            PhotoTag.objects.create(media=media, pupil=getattr(self.world, child))
        return media


def loose_upload(case, persona: str, data: bytes, name: str = "foto.jpg") -> MediaFile:
    """An upload not yet on any carrier (as the post form and the media API make them), processed inline."""
    from media import actions
    from media.tests.helpers import upload_of

    with case.captureOnCommitCallbacks(execute=True):
        media = actions.check_upload(
            acting_user=getattr(case.world, persona), school=case.world.school, upload=upload_of(name, data)
        )
    media.refresh_from_db()
    return media
