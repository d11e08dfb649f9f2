"""Fetch-and-authorize for consent: not-yours answers 404, exactly like missing."""

from django.contrib.contenttypes.models import ContentType

from consent.models import FaceBox, PhotoTag, Purpose, Request
from consent.queries import TAGGABLE_KINDS, schools_of_member
from core.refusals import NotFound
from media.models import MediaFile
from media.queries import manageable_media
from schools.access import first_or_404
from schools.models import Pupil, School
from schools.queries import children_of, schools_administered_by, schools_directed_by


def access_own_child(viewer, public_id: str) -> Pupil:
    """A child of the viewer: only a guardian answers for a child."""
    return first_or_404(children_of(viewer).select_related("school").filter(public_id=public_id))


def access_consent_school(viewer, public_id: str, *, write: bool = False) -> School:
    """A school the viewer runs (director or office); with write=True, only its director (requests)."""
    schools = schools_directed_by(viewer) if write else schools_administered_by(viewer)
    return first_or_404(schools.filter(public_id=public_id))


def access_school_pupil(school: School, public_id: str) -> Pupil:
    """A pupil of a school the caller already authorized (the new pupil of an enrolment request)."""
    return first_or_404(Pupil.objects.filter(school=school, public_id=public_id))


def access_purpose(viewer, public_id: str, *, write: bool = True) -> Purpose:
    return first_or_404(
        Purpose.objects.select_related("school").filter(
            public_id=public_id, removed_at=None, school__in=schools_administered_by(viewer)
        )
    )


def access_request(viewer, public_id: str, *, write: bool = True) -> Request:
    return first_or_404(
        Request.objects.select_related("school").filter(
            public_id=public_id, school__in=schools_directed_by(viewer)
        )
    )


def access_tagging(viewer, public_id: str, *, write: bool = True) -> MediaFile:
    """A photo or video (consent.queries.is_taggable) the viewer may tag and blur: their own upload, or one
    on a carrier they manage. Never a child's avatar (consent.avatars): it shows that child, nobody else."""
    files = manageable_media(viewer).exclude(carrier_type=ContentType.objects.get_for_model(Pupil))
    return first_or_404(files.select_related("school").filter(public_id=public_id, kind__in=TAGGABLE_KINDS))


def access_face(media: MediaFile, public_id: str) -> FaceBox:
    """A face box of a photo the caller already authorized."""
    face = FaceBox.objects.filter(media=media, public_id=public_id).first()
    if face is None:
        raise NotFound
    return face


def access_tag(viewer, public_id: str, *, write: bool = True) -> PhotoTag:
    return first_or_404(
        PhotoTag.objects.select_related("media__school", "pupil").filter(
            public_id=public_id, media__in=manageable_media(viewer)
        )
    )


def access_statement_school(viewer, public_id: str, *, write: bool = False) -> School:
    """A school whose privacy page the viewer may read: one they belong to (a group of it is theirs, so
    every parent and staff member); with write=True, only its director edits the school's own parts."""
    if write:
        return first_or_404(schools_directed_by(viewer).filter(public_id=public_id))
    return first_or_404(schools_of_member(viewer).filter(public_id=public_id))
