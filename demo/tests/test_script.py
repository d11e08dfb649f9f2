"""`scripts/demo` for real: a fresh data directory, a free port, each printed link followed over HTTP."""

import http.cookiejar
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from demo.personas import PERSONAS

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "demo"
FIRST_NAMES = {
    "director": "Ingrid",
    "teacher": "Anouk",
    "parent": "Sanne",
    "classparent": "Fatma",
    "office": "Petra",
}
LINK = re.compile(r"^(\w+): (http://127\.0\.0\.1:\d+/\S*)$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    return {**env, "DATA_DIR": str(tmp_path / "data"), "DEMO_PORT": str(port)}


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        children = {child for child, parent in parents.items() if parent == current}
        found |= children
        todo.extend(children)
    return found


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class TestDemoScript:
    def start(self, tmp_path: Path, port: int) -> tuple[subprocess.Popen, "queue.Queue[str]"]:
        process = subprocess.Popen(
            [str(SCRIPT)],
            cwd=tmp_path,
            env=demo_env(tmp_path, port),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            # Ctrl-C as a terminal delivers it. A signal the test process ignores is ignored by its children,
            # and bash cannot trap an ignored one: a test run started as a background job of a non-interactive
            # shell (`make test &`, as CI may start it) inherits SIGINT ignored, and Python keeps it so.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line.rstrip("\n")) for line in process.stdout], daemon=True
        ).start()
        return process, lines

    def read_until(self, process, lines, marker: str, timeout: float = 180) -> list[str]:
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                assert process.poll() is None, "scripts/demo exited early:\n" + "\n".join(seen)
                continue
            seen.append(line)
            if marker in line:
                return seen
        raise AssertionError("scripts/demo did not get ready:\n" + "\n".join(seen))

    def test_it_serves_the_demo_and_stops_everything_on_ctrl_c(self, tmp_path):
        port = free_port()
        process, lines = self.start(tmp_path, port)
        try:
            output = self.read_until(process, lines, "Ctrl-C")
            links = dict(m.groups() for m in map(LINK.match, output) if m)
            assert list(links) == list(PERSONAS)
            assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in links.values())

            for persona, url in links.items():
                browser = urllib.request.build_opener(
                    urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
                )
                with browser.open(url, timeout=30) as response:
                    html = response.read().decode()
                    assert response.url == f"http://127.0.0.1:{port}/", (persona, response.url)
                heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
                assert FIRST_NAMES[persona] in heading, (persona, heading)
                if persona == "parent":
                    assert "Daan" in html and "Lotte" in html
                if persona == "teacher":
                    assert "Groep 3" in html
            assert (tmp_path / "data" / "schoolplein.sqlite3").exists()

            children = descendants(process.pid)
            commands = " ".join(command_of(pid) for pid in children)
            assert "gunicorn" in commands and "db_worker" in commands, commands

            process.send_signal(signal.SIGINT)  # Ctrl-C
            # The workers finish the task in hand first (the demo's photos may still be processed).
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                alive = [command_of(pid) for pid in children if is_running(pid)]
                pytest.fail(f"scripts/demo did not stop on Ctrl-C; still running: {alive}")
            assert process.returncode == 0
            deadline = time.monotonic() + 10
            while any(map(is_running, children)) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not [pid for pid in children if is_running(pid)]
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def test_it_refuses_a_port_that_is_taken(self, tmp_path):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = subprocess.run(
                [str(SCRIPT)], env=demo_env(tmp_path, port), capture_output=True, text=True, timeout=60
            )
        assert result.returncode != 0
        assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
        assert not (tmp_path / "data").exists()
