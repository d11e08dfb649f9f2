"""What the benchmarks share: a Django child process on a throwaway database, and a scratch PostgreSQL
database on the local service. The child keeps the benchmark's own settings away from this process."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


class ChildFailed(Exception):
    """The child process failed; `tail` holds the last lines it wrote to stderr."""

    def __init__(self, tail: list[str]):
        super().__init__("\n".join(tail))
        self.tail = tail


def run_measure(module: str, *, database_url: str, data_dir: str, timeout: int, **settings: str) -> dict:
    """Run `bench.<module>.measure()` with production settings on a throwaway database and data folder.

    `measure()` prints its figures as JSON on its last line of output; extra keyword arguments become
    environment variables (settings) of the child. Redis is left out so tasks run in the child.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "schoolplein.settings",
        "DATA_DIR": data_dir,
        "DATABASE_URL": database_url,
        "TASK_BACKEND": "immediate",
        "SECURE_COOKIES": "0",
        "STATIC_PLAIN": "1",
        **settings,
    }
    env.pop("REDIS_URL", None)
    child = subprocess.run(
        [sys.executable, "-c", f"from bench.{module} import measure; measure()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if child.returncode != 0:
        raise ChildFailed(child.stderr.strip().splitlines()[-15:])
    return json.loads(child.stdout.strip().splitlines()[-1])


def _postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql)


@contextmanager
def scratch_postgres(name: str) -> Iterator[str | None]:
    """A fresh database `name` for the duration, dropped afterwards; None when PostgreSQL is not reachable.

    BENCH_PG_SUFFIX is added to the name, so that several people running benchmarks on one server do not
    drop each other's database."""
    name += os.environ.get("BENCH_PG_SUFFIX", "")
    try:
        _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _postgres_admin(f"CREATE DATABASE {name}")
    except Exception:  # noqa: BLE001 - the service may simply not run on this machine
        yield None
        return
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        _postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def measure_on_both(module: str, *, pg_database: str, timeout: int) -> dict[str, dict | str]:
    """`bench.<module>.measure()` on a throwaway SQLite file and on a scratch PostgreSQL database; per
    database its figures, or the reason it has none (the child's last lines, or PostgreSQL missing)."""
    import tempfile

    def child(database_url: str, data_dir: str) -> dict | str:
        try:
            return run_measure(module, database_url=database_url, data_dir=data_dir, timeout=timeout)
        except ChildFailed as failed:
            return "\n".join(failed.tail[-12:])

    # Several people may run the same benchmark on one PostgreSQL service: each may name their own scratch.
    pg_database = os.environ.get("BENCH_PG_DATABASE", pg_database)
    results: dict[str, dict | str] = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-{module}-") as data_dir:
        results["SQLite"] = child(f"sqlite:///{data_dir}/bench.sqlite3", data_dir)
        with scratch_postgres(pg_database) as postgres_url:
            results["PostgreSQL"] = (
                child(postgres_url, data_dir) if postgres_url else "not available on 127.0.0.1:5432"
            )
    return results
