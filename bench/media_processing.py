"""Photo processing speed and memory: our pipeline beside a bare libvips floor and beside Pillow.

Every measurement runs in a fresh child process, so its peak memory (ru_maxrss) includes the C
libraries' allocations that tracemalloc cannot see.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (400, 1280, 2560)
REPEATS = 3
POST_PHOTOS = 50
POST_WORKERS = 2  # two cores
TARGET_FLOOR_RATIO = 1.5
TARGET_PEAK_MB = 200
TARGET_POST_SECONDS = 20


def make_photo(path: Path, *, seed: int = 0, width: int = 4000, height: int = 3000) -> Path:
    """A realistic 12-megapixel camera JPEG: gradients with noise, quality 90."""
    import pyvips

    noise = pyvips.Image.gaussnoise(width, height, sigma=40, mean=128 + seed)
    xyz = pyvips.Image.xyz(width, height)
    across, down = xyz[0] * (255.0 / width), xyz[1] * (255.0 / height)
    red, green = noise * 0.5 + across * 0.5, noise * 0.3 + down * 0.7
    blue = (across + down) * 0.3 + noise * 0.4
    image = red.bandjoin([green, blue]).cast("uchar").copy(interpretation="srgb")
    image.jpegsave(str(path), Q=90)
    return path


# --- the jobs, each run inside a child process -------------------------------------------------------


def job_pipeline(src: Path, out: Path) -> None:
    from media.processing import Limits, process

    process(src, out, limits=Limits())


def job_floor(src: Path, out: Path) -> None:
    """The same six files from bare thumbnail calls, with the same encoder settings and no checks."""
    import pyvips

    from media.processing.images import JPEG_OPTIONS, WEBP_OPTIONS

    for size in SIZES:
        pyvips.Image.thumbnail(str(src), size, height=size).webpsave(
            str(out / f"{size}.webp"), **WEBP_OPTIONS
        )
        pyvips.Image.thumbnail(str(src), size, height=size).jpegsave(str(out / f"{size}.jpg"), **JPEG_OPTIONS)


def job_single(src: Path, out: Path) -> None:
    import pyvips

    pyvips.Image.thumbnail(str(src), 400, height=400).webpsave(str(out / "400.webp"))


def job_pillow(src: Path, out: Path) -> None:
    """Pillow doing the same job: upright, largest size first, each smaller one from the previous."""
    from PIL import Image, ImageOps

    with Image.open(src) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    for size in sorted(SIZES, reverse=True):
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        image.save(out / f"{size}.webp", "WEBP", quality=80, method=2)
        image.save(out / f"{size}.jpg", "JPEG", quality=82)


def _post_worker(args: tuple[str, str]) -> int:
    job_pipeline(Path(args[0]), Path(args[1]))
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def job_post(src_dir: Path, out: Path) -> None:
    """Process every photo in `src_dir` with a pool of two worker processes; print the workers' peak."""
    import multiprocessing

    tasks = []
    for index, photo in enumerate(sorted(src_dir.iterdir())):
        target = out / str(index)
        target.mkdir()
        tasks.append((str(photo), str(target)))
    pool = multiprocessing.get_context("fork").Pool(POST_WORKERS)
    peaks = pool.map(_post_worker, tasks, chunksize=1)
    pool.close()
    pool.join()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"worker_peak_kb": max(peaks), "cpu_seconds": workers.ru_utime + workers.ru_stime}))


JOBS = {
    "pipeline": job_pipeline,
    "floor": job_floor,
    "single": job_single,
    "pillow": job_pillow,
    "post": job_post,
}


def child(job: str, src: str, out: str) -> None:
    started = time.perf_counter()
    JOBS[job](Path(src), Path(out))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


# --- the parent: run the children and print the figures -----------------------------------------------


def measure(job: str, src: Path, work: Path, repeats: int = REPEATS) -> dict:
    """Best time and highest peak memory of `repeats` fresh child processes."""
    results = []
    for attempt in range(repeats):
        out = work / f"{job}-{attempt}"
        out.mkdir()
        command = [sys.executable, "-m", "bench.media_processing", job, str(src), str(out)]
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=600)
        lines = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
        merged = {key: value for line in lines for key, value in line.items()}
        results.append(merged)
        shutil.rmtree(out)
    best = min(results, key=lambda result: result["seconds"])
    best["peak_kb"] = max(result["peak_kb"] for result in results)
    best["worker_peak_kb"] = max(result.get("worker_peak_kb", 0) for result in results)
    return best


def _mb(kilobytes: int) -> float:
    return kilobytes / 1024


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def run() -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory(prefix="bench-media-") as temporary:
        work = Path(temporary)
        photo = make_photo(work / "photo.jpg")
        megabytes = photo.stat().st_size / (1024 * 1024)
        lines.append(f"One 12 MP JPEG (4000x3000, q90, {megabytes:.1f} MB) to 400/1280/2560 px WebP + JPEG")
        lines.append(f"best of {REPEATS} fresh processes; peak = max resident memory of that process")
        lines.append(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        figures = {job: measure(job, photo, work) for job in ("pipeline", "floor", "single", "pillow")}
        labels = {
            "pipeline": "schoolplein pipeline (sniff, checks, strip, 6 files)",
            "floor": "floor: bare pyvips thumbnail per file (6 files)",
            "single": "bare pyvips thumbnail, one 400 px WebP",
            "pillow": "Pillow, same 6 files",
        }
        for job, label in labels.items():
            figure = figures[job]
            lines.append(f"  {label:<54} {figure['seconds']:6.2f} s   peak {_mb(figure['peak_kb']):6.0f} MB")
        ratio = figures["pipeline"]["seconds"] / figures["floor"]["seconds"]
        peak = _mb(figures["pipeline"]["peak_kb"])
        within_floor, under_peak = ratio <= TARGET_FLOOR_RATIO, peak < TARGET_PEAK_MB
        lines.append(
            f"  target: within {TARGET_FLOOR_RATIO}x of the floor -> {ratio:.2f}x {_verdict(within_floor)};"
            f" peak under {TARGET_PEAK_MB} MB -> {peak:.0f} MB {_verdict(under_peak)}"
        )
        pillow_ratio = figures["pillow"]["seconds"] / figures["pipeline"]["seconds"]
        lines.append(f"  Pillow takes {pillow_ratio:.1f}x the pipeline's time")

        photos = work / "post"
        photos.mkdir()
        distinct = [make_photo(work / f"variant-{seed}.jpg", seed=seed) for seed in range(5)]
        for index in range(POST_PHOTOS):
            os.link(distinct[index % len(distinct)], photos / f"{index:02d}.jpg")
        post = measure("post", photos, work, repeats=1)
        seconds, worker_peak = post["seconds"], _mb(post["worker_peak_kb"])
        lines.append(
            f"A post with {POST_PHOTOS} photos of 12 MP, {POST_WORKERS} worker processes: {seconds:.1f} s"
            f" ({POST_PHOTOS / seconds:.1f} photos/s), worst worker peak {worker_peak:.0f} MB"
        )
        # On a shared machine the wall clock mostly measures the neighbours; CPU time does not.
        idle_estimate = post["cpu_seconds"] / POST_WORKERS
        lines.append(
            f"  CPU time {post['cpu_seconds']:.1f} s: about {idle_estimate:.1f} s"
            f" on {POST_WORKERS} idle cores"
            f" (load average during the run: {os.getloadavg()[0]:.1f})"
        )
        lines.append(
            f"  target: under {TARGET_POST_SECONDS} s {_verdict(seconds < TARGET_POST_SECONDS)}"
            f" (idle-core estimate {_verdict(idle_estimate < TARGET_POST_SECONDS)});"
            f" worker peak under {TARGET_PEAK_MB} MB {_verdict(worker_peak < TARGET_PEAK_MB)}"
        )
    return lines


if __name__ == "__main__":
    child(*sys.argv[1:4])
