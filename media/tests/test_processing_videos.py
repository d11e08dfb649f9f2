import re
import subprocess

import pytest
import pyvips
from django.utils import translation

from media.processing import Limits, Rejected, process
from media.processing.videos import ffmpeg
from media.tests import corpus


def run(tmp_path, make, limits=None):
    src = make(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    return process(src, out, limits=limits or Limits())


def description(path) -> str:
    """What ffmpeg says about a file (streams, metadata), without the file's own path."""
    command = [ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)]
    return subprocess.run(command, capture_output=True, timeout=60).stderr.decode().replace(str(path), "FILE")


def video_stream(path) -> bytes:
    """The coded video frames, without their container."""
    command = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path)]
    command += ["-map", "0:v:0", "-c", "copy", "-fflags", "+bitexact", "-f", "h264", "-"]
    return subprocess.run(command, capture_output=True, check=True, timeout=60).stdout


def video_codec(path) -> str:
    return re.search(r"Video: (\w+)", description(path))[1]


def audio_codec(path) -> str:
    return re.search(r"Audio: (\w+)", description(path))[1]


class TestProcessVideo:
    def test_it_strips_the_location_from_an_mp4(self, tmp_path):
        assert "location" in description(corpus.mp4_with_location(tmp_path))
        processed = run(tmp_path, corpus.mp4_with_location)
        video = processed.renditions[0]
        assert (video.name, video.content_type) == ("video.mp4", "video/mp4")
        described = description(video.path)
        assert "location" not in described and corpus.GPS_LATITUDE not in described
        for rendition in processed.renditions:
            assert corpus.leaks(rendition.path.read_bytes()) == [], rendition.name

    def test_it_remuxes_a_browser_playable_mp4_without_re_encoding(self, tmp_path):
        source = corpus.mp4_with_location(tmp_path)
        processed = run(tmp_path, lambda directory: source)
        video = processed.renditions[0].path
        assert video_stream(video) == video_stream(source)
        assert (video_codec(video), audio_codec(video)) == ("h264", "aac")
        assert (processed.width, processed.height) == (320, 240)
        assert processed.duration == pytest.approx(2.0, abs=0.1)

    def test_it_moves_the_index_to_the_front_for_streaming(self, tmp_path):
        video = run(tmp_path, corpus.mp4_with_location).renditions[0].path
        data = video.read_bytes()
        assert data.index(b"moov") < data.index(b"mdat")

    def test_it_transcodes_an_hevc_mov_to_h264_and_drops_its_location(self, tmp_path):
        processed = run(tmp_path, corpus.mov_hevc)
        video = processed.renditions[0].path
        assert (video_codec(video), audio_codec(video)) == ("h264", "aac")
        assert "location" not in description(video)
        assert corpus.leaks(video.read_bytes()) == []

    def test_it_transcodes_a_webm(self, tmp_path):
        processed = run(tmp_path, corpus.webm)
        video = processed.renditions[0].path
        assert (video_codec(video), audio_codec(video)) == ("h264", "aac")
        assert processed.duration == pytest.approx(1.0, abs=0.1)

    def test_it_writes_a_poster_frame_as_webp_and_jpeg(self, tmp_path):
        processed = run(tmp_path, corpus.mp4_with_location)
        posters = processed.renditions[1:]
        assert [(p.name, p.content_type, p.width, p.height) for p in posters] == [
            ("poster.webp", "image/webp", 320, 240),
            ("poster.jpg", "image/jpeg", 320, 240),
        ]
        assert pyvips.Image.new_from_file(str(posters[1].path)).deviate() > 10  # a test pattern, not black

    def test_it_keeps_a_phone_video_upright(self, tmp_path):
        def portrait_phone_video(directory):
            source = corpus.mp4_with_location(directory)
            path = directory / "portrait.mp4"
            command = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
            command += ["-display_rotation", "90", "-i", str(source), "-c", "copy", str(path)]
            subprocess.run(command, check=True, capture_output=True, timeout=60)
            return path

        processed = run(tmp_path, portrait_phone_video)
        assert (processed.width, processed.height) == (240, 320)
        assert [(p.width, p.height) for p in processed.renditions[1:]] == [(240, 320), (240, 320)]

    def test_it_refuses_a_video_over_the_duration_limit(self, tmp_path):
        with pytest.raises(Rejected) as caught:
            run(tmp_path, corpus.mp4_with_location, Limits(video_seconds=1))
        assert caught.value.code == "too_long"
        with translation.override("nl"):
            assert str(caught.value.message) == "De video duurt langer dan 1 seconden."
        assert not list((tmp_path / "out").iterdir())

    def test_it_refuses_a_video_over_the_byte_limit(self, tmp_path):
        with pytest.raises(Rejected) as caught:
            run(tmp_path, corpus.mp4_with_location, Limits(video_bytes=1000))
        assert caught.value.code == "too_large"

    def test_it_refuses_audio_without_video(self, tmp_path):
        with pytest.raises(Rejected) as caught:
            run(tmp_path, corpus.audio_only)
        assert caught.value.code == "unsupported_type"

    def test_it_refuses_a_truncated_video(self, tmp_path):
        with pytest.raises(Rejected) as caught:
            run(tmp_path, corpus.video_truncated)
        assert caught.value.code == "corrupt"
