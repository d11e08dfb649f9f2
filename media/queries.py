"""Viewer-scoped reads of media: what a viewer may see is decided by what carries each file."""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

from core.ids import new_public_id
from core.viewer import is_signed_in
from media.carriers import carried_by, carrier_for_type
from media.models import MediaFile, Rendition


def visible_media(viewer) -> QuerySet[MediaFile]:
    """Files the viewer uploaded (to follow their progress) or whose carrier the viewer may see."""
    if not is_signed_in(viewer):
        return MediaFile.objects.none()
    # Withheld (consent) or hidden (moderation) files: only those who manage the carrier still see them.
    shown = Q(withheld_at__isnull=True, hidden_at__isnull=True) | carried_by(viewer, manage=True)
    return MediaFile.objects.filter(Q(uploaded_by=viewer) | (carried_by(viewer) & shown))


def may_see(viewer, media: MediaFile) -> bool:
    """The rule of visible_media for one file, asking only the carrier that holds it.

    Building visible_media means building every registered carrier's membership query; for the one
    file a rendition request names, its own carrier decides, which is far cheaper on this hot path.
    """
    if not is_signed_in(viewer):
        return False
    if media.uploaded_by_id == viewer.id:
        return True
    carrier = carrier_for_type(media.carrier_type_id) if media.carrier_type_id else None
    if carrier is None:
        return False
    if media.withheld_at is None and media.hidden_at is None:
        return carrier.visible_to(viewer).filter(id=media.carrier_id).exists()
    # Withheld (consent) or hidden (moderation): only those who manage the carrier still see it.
    return carrier.managed_by(viewer).filter(id=media.carrier_id).exists()


def uploads_of(viewer) -> QuerySet[MediaFile]:
    if not is_signed_in(viewer):
        return MediaFile.objects.none()
    return MediaFile.objects.filter(uploaded_by=viewer)


def manageable_media(viewer) -> QuerySet[MediaFile]:
    """Files the viewer may remove: their own uploads and files on carriers they manage."""
    if not is_signed_in(viewer):
        return MediaFile.objects.none()
    return MediaFile.objects.filter(Q(uploaded_by=viewer) | carried_by(viewer, manage=True))


def carrier_files(carrier, *, viewer, include_pending: bool = False) -> list[MediaFile]:
    """The files on one carrier in order, renditions prefetched; pending ones for staff and uploader."""
    shown = Q(status=MediaFile.Status.READY, withheld_at__isnull=True, hidden_at__isnull=True)
    if include_pending:
        shown = Q()
    elif is_signed_in(viewer):
        shown |= Q(uploaded_by=viewer)
    files = MediaFile.objects.filter(
        shown, carrier_type=ContentType.objects.get_for_model(carrier), carrier_id=carrier.pk
    )
    files = list(files.prefetch_related(Prefetch("renditions", queryset=Rendition.objects.order_by("name"))))
    for media in files:
        media.display = display_of(media)
    return files


def group_files(viewer, group) -> tuple[list[MediaFile], bool]:
    """A group's files for the viewer, and whether the viewer manages them (its staff see pending ones)."""
    from schools.queries import groups_staffed_by

    can_manage = groups_staffed_by(viewer).filter(pk=group.pk).exists()
    return carrier_files(group, viewer=viewer, include_pending=can_manage), can_manage


def all_ready(media_ids: Iterable[int]) -> bool:
    """Whether every one of these files is ready (a post with media is published only then)."""
    wanted = set(media_ids)
    if not wanted:
        return True
    return MediaFile.objects.filter(id__in=wanted, status=MediaFile.Status.READY).count() == len(wanted)


def rendition_url(media: MediaFile, name: str) -> str:
    return rendition_url_of(media.public_id, name)


def rendition_url_of(public_id: str, name: str) -> str:
    """The URL of one rendition, as reverse() gives it.

    A feed page needs a hundred of these and reverse() walks the URL patterns each time; the route is
    fixed, so its beginning is resolved once (per URL configuration and script prefix) and the rest is
    the id and the quoted name, quoted as reverse() quotes them.
    """
    prefix = _rendition_route_prefix(get_urlconf(), get_script_prefix())
    return f"{prefix}{public_id}/{quote(name, safe=RFC3986_SUBDELIMS + '~:@')}"


@functools.cache
def _rendition_route_prefix(urlconf, script_prefix: str) -> str:
    sample = new_public_id()
    return reverse("media:rendition", urlconf=urlconf, args=[sample, "x"]).removesuffix(f"{sample}/x")


def rendition_urls(media: MediaFile) -> dict[str, str]:
    """Name → URL of each rendition; empty unless the file is ready (never half-served)."""
    if not media.is_ready:
        return {}
    return urls_of(media.public_id, [rendition.name for rendition in media.renditions.all()])


def urls_of(public_id: str, names: Iterable[str]) -> dict[str, str]:
    """Name → URL of a ready file's renditions, from its public id and their names alone."""
    return {name: rendition_url_of(public_id, name) for name in names}


@dataclass(frozen=True)
class Display:
    """The URLs a page needs to show one file; empty strings for what the file does not have."""

    thumb: str = ""
    thumb_fallback: str = ""
    full: str = ""
    poster: str = ""
    video: str = ""
    download: str = ""


def display_of(media: MediaFile) -> Display:
    return display_from(rendition_urls(media))


def display_from(urls: dict[str, str]) -> Display:
    """Pick what a page shows from a ready file's rendition URLs (name → URL)."""
    if not urls:
        return Display()
    by_size = sorted((int(name.split(".")[0]), name) for name in urls if name.split(".")[0].isdigit())
    webp = [urls[name] for _size, name in by_size if name.endswith(".webp")]
    jpeg = [urls[name] for _size, name in by_size if name.endswith(".jpg")]
    document = next((url for name, url in urls.items() if name.startswith("document.")), "")
    return Display(
        thumb=(webp or jpeg or [urls.get("poster.webp", "")])[0],
        thumb_fallback=(jpeg or [urls.get("poster.jpg", "")])[0],
        full=(webp or jpeg or [""])[-1],
        poster=urls.get("poster.webp", urls.get("poster.jpg", "")),
        video=urls.get("video.mp4", ""),
        download=document or (webp or jpeg or [urls.get("video.mp4", "")])[-1],
    )
