"""Lighthouse on a parent's phone: the home page, a post with 12 photos and the messages page.

Runs the demo the way `make demo` does (demo settings, gunicorn) on a free port with its own data folder
(kept in bench-results/ between runs, as `make demo` keeps var/), adds a class post with 12 processed
photos through the actions if the demo has none, signs in the demo parent
through the demo login link in Debian's Chromium and runs Lighthouse (npm) in that browser
with its default mobile emulation: a mid-range phone on a slow 4G line, CPU slowed 4x.
The JSON and HTML reports stay in bench-results/lighthouse/ (not committed).
Targets: performance >= 90, accessibility 100, best practices >= 95. Alone: `python -m bench lighthouse`.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench._child import ROOT

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench-results" / "lighthouse"
# The demo's data folder, kept between runs like `make demo` keeps var/: seeding takes minutes.
DEMO_DATA = RESULTS / "demo-data"
PREPARE = "from bench.lighthouse import prepare; prepare()"
PHOTOS = 12
POST_TITLE = "Schoolreis naar de Keukenhof"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 95}


def run() -> list[str]:
    if not LIGHTHOUSE.exists():
        return ["Lighthouse is not installed: run `scripts/bootstrap --browser` (npm ci) first."]
    if not Path(CHROMIUM).exists():
        return [f"Chromium is missing ({CHROMIUM}): run `scripts/bootstrap --browser` first."]
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = []
    data_dir = str(DEMO_DATA)
    with demo_server(data_dir) as site:
        pages = json.loads(_manage(data_dir, site, "shell", "-c", PREPARE))
        lines.append(f"Lighthouse {_version()} on {_chromium()}, default mobile emulation; {site}")
        load = os.getloadavg()[0]
        for name, report in _lighthouse(site, pages).items():
            lines.append(_figures(name, report, load))
    lines.append(
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        " (performance scores on a busy machine are pessimistic)"
    )
    lines.append(f"reports: {RESULTS.relative_to(ROOT)}/<page>.report.html and .report.json")
    return lines


def prepare() -> None:
    """Make sure a post with 12 processed photos reaches the demo parent; print the pages to measure."""
    from django.urls import reverse

    from demo.personas import access_persona
    from posts.queries import posts_visible_to

    parent = access_persona("parent")
    post = posts_visible_to(parent).filter(title=POST_TITLE).first() or _twelve_photo_post()
    pages = {
        "login": reverse("demo:login", args=["parent"]),
        "home": reverse("core:home"),
        "post-12-photos": reverse("posts:post_detail", args=[post.public_id]),
        "messages": reverse("conversations:inbox"),
    }
    print(json.dumps(pages))


def _twelve_photo_post():
    """The teacher posts 12 photos to their class, through the same actions as the compose page."""
    import random

    from core.viewer import verified
    from demo.personas import access_persona
    from posts.actions import Draft, check_publish_post
    from posts.demo_content import processed_photos
    from schools.models import TeachingAssignment

    teacher = access_persona("teacher")
    group = (
        TeachingAssignment.objects.filter(teacher=teacher, group__school_year__isnull=False)
        .select_related("group__school")
        .order_by("-group__school_year__starts_on", "group__name")[0]
        .group
    )
    photos = processed_photos(teacher, group.school, random.Random("lighthouse"), PHOTOS, "schoolreis")
    draft = Draft(title=POST_TITLE, body="<p>Tulpen, narcissen en een picknick in de zon.</p>")
    return check_publish_post(acting_user=verified(teacher), groups=[group], draft=draft, media_files=photos)


def _env(data_dir: str, site: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schoolplein.settings",
        "DEMO_MODE": "1",
        "DEBUG": "0",
        "EMAIL_MODE": "file",
        # Fan-out runs in the request; no worker is needed for the pages measured.
        "TASK_BACKEND": "immediate",
        "SECRET_KEY": "schoolplein-bench-only-not-secret-never-use-in-production-7d1e",
        "SITE_URL": site,
        "DATA_DIR": data_dir,
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def _manage(data_dir: str, site: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(data_dir, site),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError("\n".join(done.stderr.strip().splitlines()[-15:]))
    return done.stdout.strip().splitlines()[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server(data_dir: str):
    """The demo school (migrate, static files, seed) served by gunicorn as `make demo` does; its URL."""
    site = f"http://127.0.0.1:{_free_port()}"
    _manage(data_dir, site, "demo_prepare")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "schoolplein.wsgi", "-b", site.removeprefix("http://"), "-w", "2", "--threads", "4"],
        cwd=ROOT,
        env=_env(data_dir, site),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(site + "/accounts/login/", timeout=2)  # noqa: S310 - our own http URL
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn stopped before it answered") from None
                time.sleep(0.2)
        yield site
    finally:
        server.terminate()
        server.wait(timeout=30)


def _lighthouse(site: str, pages: dict[str, str]) -> dict[str, dict]:
    """Sign in through the demo login link and run Lighthouse on each page in that browser; the reports."""
    node = shutil.which("node") or "node"
    arguments = {
        "chromium": CHROMIUM,
        "login": site + pages.pop("login"),
        "pages": {name: site + path for name, path in pages.items()},
        "out": str(RESULTS),
        "categories": CATEGORIES,
    }
    done = subprocess.run(
        [node, str(Path(__file__).with_name("lighthouse_run.mjs")), json.dumps(arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError("\n".join(["Lighthouse failed:", *done.stderr.strip().splitlines()[-15:]]))
    return {name: json.loads((RESULTS / f"{name}.report.json").read_text()) for name in arguments["pages"]}


def _figures(name: str, report: dict, load: float) -> str:
    if report.get("finalDisplayedUrl", "").rstrip("/").endswith("/accounts/login"):
        return f"  {name}: redirected to the login page; the session cookie did not hold"
    if report.get("runtimeError"):
        return f"  {name}: not measured, three times ({report['runtimeError'].get('code')})"
    scores = []
    for key in CATEGORIES:
        score = report["categories"][key]["score"]
        value = "n/a" if score is None else f"{round(score * 100)}"
        miss = "!" if score is not None and key in TARGETS and score * 100 < TARGETS[key] else ""
        scores.append(f"{key} {value}{miss}")
    audits = report["audits"]
    lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
    tbt = audits["total-blocking-time"]["numericValue"]
    cls = audits["cumulative-layout-shift"]["numericValue"]
    return (
        f"  {name:<15} {', '.join(scores)}; LCP {lcp:.1f} s, TBT {tbt:.0f} ms, CLS {cls:.3f}"
        f" (load average {load:.1f})"
    )


def _version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"]


def _chromium() -> str:
    found = shutil.which(CHROMIUM)
    if not found:
        return "Chromium"
    done = subprocess.run([found, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().split(" built")[0] or "Chromium"


if __name__ == "__main__":
    for line in run():
        print(line)
