"""Viewer-scoped reads of media: what a viewer may see is decided by what carries each file."""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import get_script_prefix, get_urlconf
from django.utils.http import RFC3986_SUBDELIMS

from core.routes import route_around_id
from core.viewer import is_signed_in
from media.carriers import Carrier, carried_by, carrier_for_model, carrier_for_type, registered_carriers
from media.grants import GRANT_PARAMETER, grant_for
from media.models import MediaFile, Rendition


def _shown_on(viewer, carrier: Carrier, carrier_ids=None) -> Q:
    """THE rule for files on one kind of carrier: ready, not withheld (consent), not hidden (moderation),
    on a carrier the viewer may see; those who manage the carrier see every file on it (withheld, hidden,
    still processing, failed). `carrier_ids` narrows the carriers asked about, which keeps it cheap."""
    visible, managed = carrier.visible_to(viewer), carrier.managed_by(viewer)
    if carrier_ids is not None:
        visible, managed = visible.filter(id__in=carrier_ids), managed.filter(id__in=carrier_ids)
    clean = Q(status=MediaFile.Status.READY, withheld_at__isnull=True, hidden_at__isnull=True)
    # get_for_model is cached after the first call, so this adds no query per request.
    content_type = ContentType.objects.get_for_model(carrier.model)
    return Q(carrier_type=content_type) & (
        Q(carrier_id__in=managed.values("id")) | (clean & Q(carrier_id__in=visible.values("id")))
    )


def visible_media(viewer) -> QuerySet[MediaFile]:
    """Every file shown to the viewer (the rule of `_shown_on` over all carriers), and their own uploads,
    so they can follow their progress."""
    if not is_signed_in(viewer):
        return MediaFile.objects.none()
    condition = Q(uploaded_by=viewer)
    for carrier in registered_carriers():
        condition |= _shown_on(viewer, carrier)
    return MediaFile.objects.filter(condition)


def files_shown_to(viewer, model: type[Model], carrier_ids) -> QuerySet[MediaFile]:
    """The files on these carriers (ids, or a queryset of ids, of one registered model) shown to the
    viewer, in order: the one filter every page, card, album, zip and API list of files starts from.

    Narrow it further (`status`, `kind`) for what a page can show, never widen it. One query however
    many carriers: their visibility is a subquery restricted to the ids asked about.
    """
    carrier = carrier_for_model(model)
    if not is_signed_in(viewer) or carrier is None:
        return MediaFile.objects.none()
    on_these = Q(carrier_type=ContentType.objects.get_for_model(model), carrier_id__in=carrier_ids)
    return MediaFile.objects.filter(
        on_these & (Q(uploaded_by=viewer) | _shown_on(viewer, carrier, carrier_ids))
    )


def may_see(viewer, media: MediaFile) -> bool:
    """The rule of visible_media for one file, asking only the carrier that holds it (one query).

    Building visible_media means building every registered carrier's membership query; for the one
    file a rendition request names, its own carrier decides, which is far cheaper on this hot path.
    """
    return media.id in shown_ids(viewer, [media])


def shown_ids(viewer, media_files: list[MediaFile]) -> set[int]:
    """The ids of these files that the viewer may see: may_see for many, one query per kind of carrier."""
    if not is_signed_in(viewer):
        return set()
    allowed = {media.id for media in media_files if media.uploaded_by_id == viewer.id}
    by_type: dict[int, list[MediaFile]] = {}
    for media in media_files:
        if media.id not in allowed and media.carrier_type_id:
            by_type.setdefault(media.carrier_type_id, []).append(media)
    for type_id, files in by_type.items():
        carrier = carrier_for_type(type_id)
        if carrier is None:
            continue
        condition = _shown_on(viewer, carrier, [media.carrier_id for media in files])
        allowed |= set(
            MediaFile.objects.filter(condition, id__in=[m.id for m in files]).values_list("id", flat=True)
        )
    return allowed


def uploads_of(viewer) -> QuerySet[MediaFile]:
    if not is_signed_in(viewer):
        return MediaFile.objects.none()
    return MediaFile.objects.filter(uploaded_by=viewer)


def manageable_media(viewer) -> QuerySet[MediaFile]:
    """Files the viewer may remove: their own uploads and files on carriers they manage."""
    if not is_signed_in(viewer):
        return MediaFile.objects.none()
    return MediaFile.objects.filter(Q(uploaded_by=viewer) | carried_by(viewer, manage=True))


def with_display(files) -> list[MediaFile]:
    """Evaluate files with their renditions (one query more) and give each its `display` URLs."""
    files = list(files)
    prefetch_related_objects(files, Prefetch("renditions", queryset=Rendition.objects.order_by("name")))
    for media in files:
        media.display = display_of(media)
    return files


def carrier_files(carrier, *, viewer) -> list[MediaFile]:
    """The files on one carrier shown to the viewer, in order, with display URLs."""
    return with_display(files_shown_to(viewer, type(carrier), [carrier.pk]))


def group_files(viewer, group) -> tuple[list[MediaFile], bool]:
    """A group's files for the viewer, and whether the viewer manages them (its staff see pending ones)."""
    from schools.queries import groups_staffed_by

    can_manage = groups_staffed_by(viewer).filter(pk=group.pk).exists()
    return carrier_files(group, viewer=viewer), can_manage


def all_ready(media_ids: Iterable[int]) -> bool:
    """Whether every one of these files is ready (a post with media is published only then)."""
    wanted = set(media_ids)
    if not wanted:
        return True
    return MediaFile.objects.filter(id__in=wanted, status=MediaFile.Status.READY).count() == len(wanted)


def rendition_url(media: MediaFile, name: str) -> str:
    return rendition_url_of(media.public_id, media.version, name)


def rendition_url_of(public_id: str, version: int, name: str) -> str:
    """The URL of one rendition of the file's current version, as reverse() gives it.

    The version is in the path so that new bytes (a blur) get a new URL: no cache can serve the old
    ones, and the old URL answers 404.

    A feed page needs a hundred of these and reverse() walks the URL patterns each time; the route is
    fixed, so its beginning is resolved once (per URL configuration and script prefix) and the rest is
    the id and the quoted name, quoted as reverse() quotes them. Built for a browser session, it carries
    that session's grant (media.grants): the viewer was allowed the file by the caller, through the owner.
    """
    prefix = rendition_route_prefix(get_urlconf(), get_script_prefix())
    url = f"{prefix}{public_id}/{version}/{quote(name, safe=RFC3986_SUBDELIMS + '~:@')}"
    grant = grant_for(public_id, version, name)
    return f"{url}?{GRANT_PARAMETER}={grant}" if grant else url


def rendition_route_prefix(urlconf, script_prefix: str) -> str:
    return route_around_id("media:rendition", urlconf, script_prefix, (1, "x"))[0]


def rendition_urls(media: MediaFile) -> dict[str, str]:
    """Name → URL of each rendition; empty unless the file is ready (never half-served)."""
    if not media.is_ready:
        return {}
    return urls_of(media.public_id, media.version, [rendition.name for rendition in media.renditions.all()])


def urls_of(public_id: str, version: int, names: Iterable[str]) -> dict[str, str]:
    """Name → URL of a ready file's renditions, from its public id, version and their names alone."""
    return {name: rendition_url_of(public_id, version, name) for name in names}


@dataclass(frozen=True)
class Display:
    """The URLs a page needs to show one file; empty strings for what the file does not have."""

    thumb: str = ""
    thumb_fallback: str = ""
    full: str = ""
    poster: str = ""
    video: str = ""
    download: str = ""
    # Every WebP (or JPEG) display size with its width, for <img srcset>: the browser picks what fits.
    srcset: str = ""
    # A document's type as people name it ("PDF", "DOCX"), from the file that is served, not the upload.
    file_type: str = ""


def largest_still(renditions, *, prefer: str = ".webp"):
    """The biggest still among renditions (processing output or stored rows); of one size, `prefer`'s
    format (WebP, or JPEG for downloads that every program opens)."""
    stills = [r for r in renditions if r.name.split(".")[0].isdigit() and r.name.endswith((".webp", ".jpg"))]
    if not stills:
        return None
    return max(stills, key=lambda r: (int(r.name.split(".")[0]), r.name.endswith(prefer)))


def sort_by_kind(holder, files: list[MediaFile]) -> None:
    """Give a post or a message its `files` and, of the ready ones, `photos` (the grid and viewer),
    `videos` and `documents` (chips); `pending` are those still processing or failed."""
    holder.files = files
    ready = [media for media in files if media.is_ready]
    holder.photos = [media for media in ready if media.kind == MediaFile.Kind.PHOTO]
    holder.videos = [media for media in ready if media.kind == MediaFile.Kind.VIDEO]
    holder.documents = [media for media in ready if media.kind == MediaFile.Kind.DOCUMENT]
    holder.pending = [media for media in files if not media.is_ready]


def display_of(media: MediaFile) -> Display:
    widths = {rendition.name: rendition.width for rendition in media.renditions.all()}
    return display_from(rendition_urls(media), widths)


def display_from(urls: dict[str, str], widths: dict[str, int | None] | None = None) -> Display:
    """Pick what a page shows from a ready file's rendition URLs (name → URL) and widths (name → pixels).

    A still's name is the long edge it was made for ("1280.webp"), not its width: a portrait photo is
    narrower, and the largest size is the source's own when that is smaller. The srcset says each one's
    real width, so that the browser does not fetch a larger file than the slot needs; a rendition stored
    without its width (none should be) falls back to its name.
    """
    if not urls:
        return Display()
    widths = widths or {}

    def width(name: str) -> int:
        return widths.get(name) or int(name.split(".")[0])

    by_size = sorted((width(name), name) for name in urls if name.split(".")[0].isdigit())
    webp = [(size, urls[name]) for size, name in by_size if name.endswith(".webp")]
    jpeg = [(size, urls[name]) for size, name in by_size if name.endswith(".jpg")]
    stills = webp or jpeg
    document = next((name for name in urls if name.startswith("document.")), "")
    return Display(
        thumb=(stills[0][1] if stills else urls.get("poster.webp", "")),
        thumb_fallback=(jpeg[0][1] if jpeg else urls.get("poster.jpg", "")),
        full=stills[-1][1] if stills else "",
        poster=urls.get("poster.webp", urls.get("poster.jpg", "")),
        video=urls.get("video.mp4", ""),
        download=urls[document] if document else (stills[-1][1] if stills else urls.get("video.mp4", "")),
        srcset=", ".join(f"{url} {size}w" for size, url in stills),
        file_type=document.rsplit(".", 1)[-1].upper() if document else "",
    )
