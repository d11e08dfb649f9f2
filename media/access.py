"""Fetch-and-authorize for media: not-yours answers 404, exactly like missing. One query per check."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from media.failures import MediaRefused
from media.models import MediaFile, Rendition
from media.queries import manageable_media, shown_ids, uploads_of, visible_media
from schools.models import School
from schools.queries import groups_visible_to


def access_media(viewer, public_id: str, *, write: bool = False) -> MediaFile:
    """A file the viewer may see; with write=True, one the viewer may remove."""
    files = manageable_media(viewer) if write else visible_media(viewer)
    media = files.filter(public_id=public_id).first()
    if media is None:
        raise Http404
    return media


def access_rendition(viewer, media_public_id: str, version: int, rendition_name: str) -> Rendition:
    """A rendition of the current version of a ready file the viewer may see, checked on every request
    (two small queries). An earlier version's URL answers 404: its bytes are gone (a blur)."""
    found = access_renditions(viewer, [(media_public_id, version, rendition_name)])
    if not found:
        raise Http404
    return found[0]


def access_renditions(viewer, wanted: list[tuple[str, int, str]]) -> list[Rendition]:
    """The renditions asked for as (media public id, version, name) that the viewer may see, in the order
    asked; the others are left out. Two queries however many (one more per other kind of carrier)."""
    if not wanted:
        return []
    asked = Q(pk__in=[])
    for public_id, version, name in wanted:
        asked |= Q(media__public_id=public_id, media__version=version, name=name)
    found = list(
        Rendition.objects.select_related("media").filter(asked, media__status=MediaFile.Status.READY)
    )
    allowed = shown_ids(viewer, list({rendition.media_id: rendition.media for rendition in found}.values()))
    by_key = {(r.media.public_id, r.media.version, r.name): r for r in found if r.media_id in allowed}
    return [by_key[key] for key in wanted if key in by_key]


def access_upload_school(viewer, public_id: str | None = None) -> School:
    """The school an upload belongs to: the given one if the viewer belongs to it, else their only one."""
    schools = School.objects.filter(groups__in=groups_visible_to(viewer)).distinct()
    if public_id:
        school = schools.filter(public_id=public_id).first()
        if school is None:
            raise Http404
        return school
    found = list(schools[:2])
    if not found:
        raise Http404
    if len(found) > 1:
        raise MediaRefused(_("Choose the school this file is for."), code="school_required")
    return found[0]


def access_own_uploads(viewer, public_ids: list[str]) -> list[MediaFile]:
    """The viewer's own uploads in the order given; any id that is not theirs is 404."""
    wanted = list(dict.fromkeys(public_ids))
    found = {media.public_id: media for media in uploads_of(viewer).filter(public_id__in=wanted)}
    if len(found) != len(wanted):
        raise Http404
    return [found[public_id] for public_id in wanted]
