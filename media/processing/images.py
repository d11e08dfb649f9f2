"""Photos: check the header against the limits, then write upright, sRGB, metadata-free display sizes."""

from dataclasses import dataclass
from pathlib import Path

import pyvips

from .base import Limits, Processed, RenditionFile, Sniffed, corrupt, pixel_bomb, rendition

# Long-edge display sizes. The largest written one stands in for the original, which is not kept.
SIZES = (400, 1280, 2560)
# Effort 1 of 6: the 2560 px WebP dominates the time; higher efforts cost 1.5-3x for no smaller files.
WEBP_OPTIONS = {"Q": 80, "effort": 1, "smart_subsample": False}
JPEG_OPTIONS = {"Q": 82}
# keep=0 (VIPS_FOREIGN_KEEP_NONE): no EXIF, XMP, IPTC, ICC, comments or any other metadata in the output.
KEEP_NONE = 0

LOADERS = {
    "image/jpeg": "jpegload",
    "image/png": "pngload",
    "image/webp": "webpload",
    "image/gif": "gifload",
    "image/heic": "heifload",
    "image/avif": "heifload",
}
ALLOWED_LOADER_CLASSES = (
    "VipsForeignLoadJpeg",
    "VipsForeignLoadPng",
    "VipsForeignLoadWebp",
    "VipsForeignLoadNsgif",
    "VipsForeignLoadHeif",
)


def allow_only_photo_loaders() -> None:
    """Block every libvips loader except the five photo formats (no SVG, TIFF, CSV, matrix, vips ...)."""
    # Each file is processed once, so libvips' operation cache only grows a worker's memory.
    pyvips.cache_set_max(0)
    pyvips.block_untrusted_set(True)
    pyvips.operation_block_set("VipsForeignLoad", True)
    for name in ALLOWED_LOADER_CLASSES:
        pyvips.operation_block_set(name, False)


allow_only_photo_loaders()


@dataclass(frozen=True)
class ImageHeader:
    width: int
    height: int
    pages: int


def read_header(path: Path, *, sniffed: Sniffed, limits: Limits) -> ImageHeader:
    """Read dimensions and frame count without decoding pixels; refuse pixel bombs."""
    loader = getattr(pyvips.Image, LOADERS[sniffed.mime])
    try:
        image = loader(str(path), access="sequential", fail_on="error")
    except pyvips.Error:
        raise corrupt("photo") from None
    pages = image.get("n-pages") if image.get_typeof("n-pages") else 1
    if image.width * image.height * max(pages, 1) > limits.photo_pixels:
        raise pixel_bomb(limits)
    return ImageHeader(width=image.width, height=image.height, pages=max(pages, 1))


def target_sizes(long_edge: int) -> list[int]:
    """The display sizes to write: every size below the source, plus the next one up at native size."""
    sizes = [size for size in SIZES if size < long_edge]
    if len(sizes) < len(SIZES):
        sizes.append(SIZES[len(sizes)])
    return sizes


def process_photo(src: Path, out_dir: Path, *, sniffed: Sniffed, header: ImageHeader) -> Processed:
    """Decode once at the largest size, then write every display size as WebP and JPEG."""
    sizes = target_sizes(max(header.width, header.height))
    try:
        largest = _decode(src, sniffed=sniffed, size=sizes[-1])
        renditions: list[RenditionFile] = []
        for size in sizes:
            image = largest if size == sizes[-1] else largest.thumbnail_image(size, height=size, size="down")
            renditions += write_stills(image, out_dir, str(size))
    except pyvips.Error:
        raise corrupt("photo") from None
    return Processed(
        kind="photo", width=largest.width, height=largest.height, duration=None, renditions=renditions
    )


def _decode(src: Path, *, sniffed: Sniffed, size: int) -> pyvips.Image:
    """The upright sRGB image at most `size` on its long edge, held in memory (first frame of animations)."""
    if sniffed.mime == "image/heic":
        return _as_srgb(_decode_heif(src).thumbnail_image(size, height=size, size="down")).copy_memory()
    # The empty "[]" stops libvips reading a bracketed end of the path as loader options. (A Source would
    # too, but thumbnail_source ignores fail_on and would render truncated files with grey fill.)
    image = pyvips.Image.thumbnail(
        f"{src}[]",
        size,
        height=size,
        size="down",
        fail_on="error",
    )
    return _as_srgb(image).copy_memory()


def _decode_heif(src: Path) -> pyvips.Image:
    """Decode HEIC with libheif through pillow-heif (the bundled libvips has no HEVC decoder; AVIF it has)."""
    import pillow_heif

    try:
        heif = pillow_heif.open_heif(str(src), convert_hdr_to_8bit=True)
        picture = heif.to_pillow()
    except (ValueError, RuntimeError, OSError):
        raise corrupt("photo") from None
    # libheif has already applied the HEIF rotation and mirroring, which take precedence over EXIF.
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.mode else "RGB")
    image = pyvips.Image.new_from_memory(
        picture.tobytes(), picture.width, picture.height, len(picture.mode), "uchar"
    ).copy(interpretation="srgb")
    icc = heif.info.get("icc_profile")
    if icc:
        image = image.copy()
        image.set_type(pyvips.GValue.blob_type, "icc-profile-data", icc)
    return image


def _as_srgb(image: pyvips.Image) -> pyvips.Image:
    # Only an embedded profile is honoured: transforming untagged pixels "from sRGB to sRGB" costs seconds.
    if image.get_typeof("icc-profile-data"):
        image = image.icc_transform("srgb", embedded=True, intent="perceptual")
    if image.interpretation != "srgb" or image.format != "uchar":
        image = image.colourspace("srgb")
        if image.format != "uchar":
            image = image.cast("uchar")
    return image


def write_stills(image: pyvips.Image, out_dir: Path, stem: str) -> list[RenditionFile]:
    """Write `<stem>.webp` and a `<stem>.jpg` fallback, both without any metadata."""
    webp, jpeg = out_dir / f"{stem}.webp", out_dir / f"{stem}.jpg"
    image.webpsave(str(webp), keep=KEEP_NONE, **WEBP_OPTIONS)
    flat = image.flatten(background=[255, 255, 255]) if image.hasalpha() else image
    flat.jpegsave(str(jpeg), keep=KEEP_NONE, **JPEG_OPTIONS)
    return [
        rendition(webp, "image/webp", image.width, image.height),
        rendition(jpeg, "image/jpeg", image.width, image.height),
    ]
