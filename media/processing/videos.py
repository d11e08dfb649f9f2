"""Videos: probe with ffmpeg, refuse what is not a playable video, strip metadata, write MP4 and a poster."""

import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pyvips
from django.utils.translation import gettext_lazy as _

from .base import Limits, Processed, Sniffed, corrupt, rendition, too_long, unsupported
from .images import write_stills

# The demuxer is forced from the sniffed type, so ffmpeg never guesses (no playlists, no concat scripts).
DEMUXERS = {
    "video/mp4": "mov",
    "video/quicktime": "mov",
    "video/webm": "matroska",
    "video/x-matroska": "matroska",
}
VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4"}
PLAYABLE_PIXEL_FORMATS = {"yuv420p", "yuvj420p"}
MAX_TRANSCODE_EDGE = 1920
POSTER_EDGE = 1280
PROBE_TIMEOUT = 60

UNPLAYABLE_MESSAGE = _("This video format is not supported. Please upload an MP4, MOV or WebM video.")
NO_VIDEO_MESSAGE = _("The file contains no video.")


@functools.cache
def ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass(frozen=True)
class VideoProbe:
    video_codec: str
    pixel_format: str
    width: int
    height: int
    audio_codec: str | None
    duration: float


def probe(path: Path, *, sniffed: Sniffed, limits: Limits) -> VideoProbe:
    """Read container, streams and duration from ffmpeg's description of the input; refuse what fails."""
    demuxer = DEMUXERS[sniffed.mime]
    stderr = _stderr([ffmpeg(), "-hide_banner", "-nostdin", "-f", demuxer, "-i", f"file:{path}"])
    if "Input #0" not in stderr:
        raise corrupt("video")
    streams = re.findall(r"^\s*Stream #0:\d+\S*: (Video|Audio): (.*)$", stderr, re.MULTILINE)
    videos = [_parts(description) for kind, description in streams if kind == "Video"]
    videos = [parts for parts in videos if "(attached pic)" not in ", ".join(parts)]
    audios = [_parts(description) for kind, description in streams if kind == "Audio"]
    if not videos:
        raise unsupported(NO_VIDEO_MESSAGE)
    video = videos[0]
    codec = video[0].split()[0]
    if codec not in VIDEO_CODECS:
        raise unsupported(UNPLAYABLE_MESSAGE)
    size = next((re.match(r"(\d+)x(\d+)", part) for part in video[1:] if re.match(r"\d+x\d+", part)), None)
    if size is None:
        raise corrupt("video")
    width, height = int(size[1]), int(size[2])
    if re.search(r"rotation of -?(90|270)\.", stderr):
        width, height = height, width
    duration = _duration(stderr) or _measured_duration(path, demuxer)
    if duration is None:
        raise corrupt("video")
    if duration > limits.video_seconds:
        raise too_long(limits)
    return VideoProbe(
        video_codec=codec,
        pixel_format=video[1].split("(")[0].strip() if len(video) > 1 else "",
        width=width,
        height=height,
        audio_codec=audios[0][0].split()[0] if audios else None,
        duration=duration,
    )


def process_video(
    src: Path, out_dir: Path, *, sniffed: Sniffed, info: VideoProbe, limits: Limits
) -> Processed:
    """Write video.mp4 (remuxed when browsers can play it, else H.264/AAC) and a poster frame."""
    out = out_dir / "video.mp4"
    copy_video = (
        sniffed.mime in ("video/mp4", "video/quicktime")
        and info.video_codec == "h264"
        and info.pixel_format in PLAYABLE_PIXEL_FORMATS
    )
    copy_audio = info.audio_codec in (None, "aac")
    command = [ffmpeg(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-threads", "2"]
    command += ["-f", DEMUXERS[sniffed.mime], "-i", f"file:{src}", "-map", "0:v:0", "-map", "0:a:0?"]
    command += ["-dn", "-sn", "-map_metadata", "-1", "-map_metadata:s:v", "-1", "-map_metadata:s:a", "-1"]
    command += [
        "-map_chapters",
        "-1",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-flags:a",
        "+bitexact",
    ]
    command += ["-t", str(limits.video_seconds)]
    if copy_video:
        command += ["-c:v", "copy"]
    else:
        scale = (
            f"scale=w='min({MAX_TRANSCODE_EDGE},iw)':h='min({MAX_TRANSCODE_EDGE},ih)'"
            ":force_original_aspect_ratio=decrease:force_divisible_by=2"
        )
        command += [
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "23",
            "-pix_fmt",
            "yuv420p",
            "-vf",
            scale,
        ]
    command += ["-c:a", "copy"] if copy_audio else ["-c:a", "aac", "-b:a", "128k"]
    command += ["-movflags", "+faststart", "-f", "mp4", f"file:{out}"]
    if _run(command, timeout=120 + 6 * info.duration).returncode != 0:
        raise corrupt("video")
    output = probe(out, sniffed=Sniffed("video", "video/mp4", "mp4"), limits=limits)
    poster = _poster(out, duration=output.duration)
    renditions = [rendition(out, "video/mp4", output.width, output.height)]
    renditions += write_stills(poster, out_dir, "poster")
    return Processed(
        kind="video",
        width=output.width,
        height=output.height,
        duration=output.duration,
        renditions=renditions,
    )


def _poster(video: Path, *, duration: float) -> pyvips.Image:
    """A still from early in the video (one second in, or the first frame of very short clips)."""
    for offset in (min(1.0, duration / 3), 0.0):
        command = [ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-ss", f"{offset:.3f}"]
        command += [
            "-f",
            "mov",
            "-i",
            f"file:{video}",
            "-frames:v",
            "1",
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "-",
        ]
        result = _run(command)
        if result.returncode == 0 and result.stdout:
            image = pyvips.Image.pngload_buffer(result.stdout)
            return image.thumbnail_image(POSTER_EDGE, height=POSTER_EDGE, size="down").copy_memory()
    raise corrupt("video")


def _parts(description: str) -> list[str]:
    """Split an ffmpeg stream description on commas that are not inside brackets."""
    parts, depth, current = [], 0, ""
    for char in description:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def _duration(stderr: str) -> float | None:
    match = re.search(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", stderr)
    return int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]) if match else None


def _measured_duration(path: Path, demuxer: str) -> float | None:
    """Containers written by live recorders often lack a duration: read the packets through (no decoding)."""
    command = [ffmpeg(), "-hide_banner", "-nostdin", "-f", demuxer, "-i", f"file:{path}"]
    stderr = _stderr([*command, "-map", "0:v:0", "-c", "copy", "-f", "null", "-"])
    times = re.findall(r"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)", stderr)
    if not times:
        return None
    hours, minutes, seconds = times[-1]
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _run(command: list[str], *, timeout: float = PROBE_TIMEOUT) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise timeout() from None


def _stderr(command: list[str]) -> str:
    return _run(command).stderr.decode("utf-8", "replace")
