import time

import pytest
import pyvips
from django.utils import translation
from PIL import Image

from media.processing import Limits, Rejected, process
from media.processing.images import target_sizes
from media.tests import corpus

# Structural fields libvips reports for any decoded file; anything beyond these is metadata.
STRUCTURAL_FIELDS = {
    "width",
    "height",
    "bands",
    "format",
    "coding",
    "interpretation",
    "xoffset",
    "yoffset",
    "xres",
    "yres",
    "filename",
    "vips-loader",
    "jpeg-multiscan",
    "jpeg-chroma-subsample",
}


def run(tmp_path, make, limits=None):
    src = make(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    return process(src, out, limits=limits or Limits())


def refusal(tmp_path, make, limits=None) -> Rejected:
    with pytest.raises(Rejected) as caught:
        run(tmp_path, make, limits)
    assert not list((tmp_path / "out").iterdir()), "a refused photo left files behind"
    return caught.value


def pixel(path, x, y):
    return pyvips.Image.new_from_file(str(path))(x, y)


class TestProcessPhoto:
    def test_it_strips_location_serial_and_every_other_metadata(self, tmp_path):
        processed = run(tmp_path, corpus.jpeg_with_gps)
        assert [r.name for r in processed.renditions] == ["400.webp", "400.jpg", "1280.webp", "1280.jpg"]
        for rendition in processed.renditions:
            assert corpus.leaks(rendition.path.read_bytes()) == [], rendition.name
            assert set(pyvips.Image.new_from_file(str(rendition.path)).get_fields()) <= STRUCTURAL_FIELDS

    def test_it_strips_the_metadata_of_an_heic_from_a_phone(self, tmp_path):
        processed = run(tmp_path, corpus.heic_from_phone)
        assert (processed.width, processed.height) == (640, 480)
        for rendition in processed.renditions:
            assert corpus.leaks(rendition.path.read_bytes()) == [], rendition.name
            assert set(pyvips.Image.new_from_file(str(rendition.path)).get_fields()) <= STRUCTURAL_FIELDS

    def test_it_decodes_the_heic_pixels(self, tmp_path):
        processed = run(tmp_path, corpus.heic_from_phone)
        image = pyvips.Image.new_from_file(str(processed.renditions[0].path))
        assert image.deviate() > 10  # the noisy picture, not a blank canvas

    def test_it_strips_the_metadata_of_a_webp(self, tmp_path):
        processed = run(tmp_path, corpus.webp_photo)
        for rendition in processed.renditions:
            assert corpus.leaks(rendition.path.read_bytes()) == [], rendition.name

    def test_it_turns_a_photo_upright_by_its_exif_orientation(self, tmp_path):
        processed = run(tmp_path, corpus.jpeg_rotated)
        assert (processed.width, processed.height) == (100, 200)
        for rendition in processed.renditions:
            assert (rendition.width, rendition.height) == (100, 200)
            top, bottom = pixel(rendition.path, 50, 10), pixel(rendition.path, 50, 190)
            assert top[0] > 150 and top[2] < 100, f"{rendition.name}: top is not red"
            assert bottom[2] > 150 and bottom[0] < 100, f"{rendition.name}: bottom is not blue"

    def test_it_re_encodes_a_jpeg_html_polyglot_and_drops_the_html(self, tmp_path):
        processed = run(tmp_path, corpus.jpeg_html_polyglot)
        assert processed.kind == "photo"
        assert {r.content_type for r in processed.renditions} == {"image/webp", "image/jpeg"}
        for rendition in processed.renditions:
            data = rendition.path.read_bytes()
            assert b"<script" not in data and b"<html" not in data

    def test_it_refuses_a_pixel_bomb_from_its_header(self, tmp_path):
        started = time.perf_counter()
        rejected = refusal(tmp_path, corpus.png_pixel_bomb)
        assert rejected.code == "pixel_bomb"
        assert "100 megapixels" in str(rejected.message)
        assert time.perf_counter() - started < 2  # decoding ten gigapixels would take far longer

    def test_it_counts_every_frame_of_an_animation_toward_the_pixel_limit(self, tmp_path):
        two_frames = Limits(photo_pixels=120 * 80 * 2)
        assert refusal(tmp_path, corpus.gif_animated, two_frames).code == "pixel_bomb"

    def test_it_takes_the_first_frame_of_an_animated_gif(self, tmp_path):
        processed = run(tmp_path, corpus.gif_animated)
        assert [r.name for r in processed.renditions] == ["400.webp", "400.jpg"]
        red, green, blue = pixel(processed.renditions[1].path, 60, 40)[:3]
        assert red > 200 and green < 60 and blue < 60

    def test_it_refuses_a_truncated_jpeg(self, tmp_path):
        rejected = refusal(tmp_path, corpus.jpeg_truncated)
        assert rejected.code == "corrupt"
        with translation.override("en"):
            assert str(rejected.message) == "The photo is damaged or incomplete and cannot be shown."
        with translation.override("nl"):
            assert str(rejected.message) == "De foto is beschadigd of onvolledig en kan niet worden getoond."

    def test_it_refuses_a_photo_over_the_byte_limit(self, tmp_path):
        rejected = refusal(tmp_path, corpus.jpeg_with_gps, Limits(photo_bytes=10_000))
        assert rejected.code == "too_large"

    def test_it_sniffs_a_png_named_pdf_as_a_photo_and_keeps_its_transparency_in_webp(self, tmp_path):
        processed = run(tmp_path, corpus.png_named_pdf)
        webp, jpeg = processed.renditions
        assert (processed.kind, webp.name, jpeg.name) == ("photo", "400.webp", "400.jpg")
        assert pyvips.Image.new_from_file(str(webp.path)).hasalpha()
        assert not pyvips.Image.new_from_file(str(jpeg.path)).hasalpha()

    def test_it_writes_every_display_size_of_a_large_photo_as_webp_and_jpeg(self, tmp_path):
        processed = run(tmp_path, corpus.jpeg_large)
        sizes = [(r.name, r.content_type, r.width, r.height) for r in processed.renditions]
        assert sizes == [
            ("400.webp", "image/webp", 400, 267),
            ("400.jpg", "image/jpeg", 400, 267),
            ("1280.webp", "image/webp", 1280, 854),
            ("1280.jpg", "image/jpeg", 1280, 854),
            ("2560.webp", "image/webp", 2560, 1707),
            ("2560.jpg", "image/jpeg", 2560, 1707),
        ]
        assert (processed.width, processed.height) == (2560, 1707)
        for rendition in processed.renditions:
            image = pyvips.Image.new_from_file(str(rendition.path))
            assert (image.width, image.height, rendition.size) == (
                rendition.width,
                rendition.height,
                rendition.path.stat().st_size,
            )

    def test_it_converts_an_embedded_colour_profile_to_srgb(self, tmp_path):
        def display_p3_jpeg(directory):
            red = (pyvips.Image.black(64, 64) + [200, 30, 30]).cast("uchar").copy(interpretation="srgb")
            path = directory / "p3.jpg"
            red.icc_transform("p3").jpegsave(str(path), Q=100)
            return path

        processed = run(tmp_path, display_p3_jpeg)
        jpeg = pyvips.Image.new_from_file(str(processed.renditions[1].path))
        assert not jpeg.get_typeof("icc-profile-data")
        assert [round(value) for value in jpeg(30, 30)] == pytest.approx([200, 30, 30], abs=6)

    def test_it_converts_cmyk_to_three_band_srgb(self, tmp_path):
        def cmyk_jpeg(directory):
            path = directory / "cmyk.jpg"
            Image.new("CMYK", (50, 40), (0, 255, 255, 0)).save(path, "JPEG")
            return path

        processed = run(tmp_path, cmyk_jpeg)
        for rendition in processed.renditions:
            image = pyvips.Image.new_from_file(str(rendition.path))
            assert (image.bands, image.interpretation) == (3, "srgb")

    def test_it_decodes_an_avif(self, tmp_path):
        def avif(directory):
            path = directory / "photo.avif"
            red = (pyvips.Image.black(200, 100) + [200, 30, 30]).cast("uchar").copy(interpretation="srgb")
            red.heifsave(str(path), compression="av1")
            return path

        processed = run(tmp_path, avif)
        assert (processed.width, processed.height) == (200, 100)
        assert [round(v) for v in pixel(processed.renditions[1].path, 50, 50)] == pytest.approx(
            [200, 30, 30], abs=8
        )


class TestTargetSizes:
    def test_it_never_upscales_and_always_writes_one_size(self):
        assert target_sizes(300) == [400]
        assert target_sizes(400) == [400]
        assert target_sizes(1000) == [400, 1280]
        assert target_sizes(2560) == [400, 1280, 2560]
        assert target_sizes(4000) == [400, 1280, 2560]
