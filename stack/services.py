"""The production shape on 127.0.0.1, started from the files in deploy/ and stopped by process id.

nginx in front of two gunicorn instances, a scratch PostgreSQL database on the local service, a Redis
server of its own (or, without redis-server, a database number on the local one), two RQ workers, the tick
timer, an SMTP sink (aiosmtpd, a maildir) and an S3 server (moto) holding the media, served by presigned
redirects. Like systemd, the stack starts a web or worker process again when it dies (their units'
Restart= and RestartSec=), which the fault drills rely on.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from stack.render import exec_start, listen_stream, read_env, render_deploy, unit_setting, write_env

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
BUCKET = "schoolplein-media"
NGINX_MAIN = """\
# The stack's own nginx.conf: what Debian's /etc/nginx/nginx.conf does, in the stack's folder.
daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/logs/nginx-error.log warn;
{user}
events {{ worker_connections 4096; }}  # a client and an upstream connection per request in flight
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log {run}/logs/nginx-access.log;
    client_body_temp_path {run}/nginx/body;
    proxy_temp_path {run}/nginx/proxy;
    fastcgi_temp_path {run}/nginx/fastcgi;
    uwsgi_temp_path {run}/nginx/uwsgi;
    scgi_temp_path {run}/nginx/scgi;
    include {site};
}}
"""


class StackError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def wait_until(ready, what: str, *, process: subprocess.Popen | None = None, seconds: float = 60) -> None:
    """Poll ready() until it is true; fail when the process it waits for stops first, or after seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        if process is not None and process.poll() is not None:
            raise StackError(f"{process.args[0]} stopped (exit {process.returncode}) before {what}")
        time.sleep(0.1)
    raise StackError(f"not {what} after {seconds:.0f} s")


def wait_for_port(port: int, *, process: subprocess.Popen | None = None, seconds: float = 60) -> None:
    def listens() -> bool:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return True
        return False

    wait_until(listens, f"listening on {HOST}:{port}", process=process, seconds=seconds)


def wait_for_answer(port: int, *, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until the web process behind port answers HTTP. Its socket accepts connections from the start
    (the stack holds it, as systemd does), so a connection alone says nothing about the process."""

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/accounts/login/", timeout=5):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True  # an answer, if not a page
        except (urllib.error.URLError, OSError):
            return False

    wait_until(answers, f"answering on {HOST}:{port}", process=process, seconds=seconds)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )


def nginx_main_conf(run: Path, site: Path) -> Path:
    """Write the stack's nginx.conf (folders under run) that includes the rendered deploy/ site."""
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "nginx" / folder).mkdir(parents=True, exist_ok=True)
    (run / "logs").mkdir(parents=True, exist_ok=True)
    # nginx started by root drops its workers to "nobody", who may not read a checkout under a home folder.
    user = "user root;" if os.geteuid() == 0 else ""
    path = run / "nginx.conf"
    path.write_text(NGINX_MAIN.format(run=run, site=site, user=user))
    return path


def site_values(
    *, port: int, web_ports: list[int], data_dir: Path, env_file: Path, tick_seconds: int
) -> dict:
    return {
        "LISTEN": f"{HOST}:{port}",
        "SERVER_NAME": HOST,
        "TLS": "",
        "WEB_PORTS": ",".join(map(str, web_ports)),
        "CLIENT_MAX_BODY_SIZE": "520m",
        "STATIC_URL": "/static/",
        "STATIC_ROOT": str(data_dir / "static"),
        "MEDIA_ROOT": str(data_dir / "media"),
        "MEDIA_NGINX_LOCATION": "/_protected_media/",
        "USER": os.environ.get("USER", "root"),
        "APP_DIR": str(ROOT),
        "ENV_FILE": str(env_file),
        "TICK_SECONDS": str(tick_seconds),
    }


@dataclass
class Stack:
    """Start with start(), stop with stop() (or use it as a context manager)."""

    port: int = 0  # nginx; 0 picks a free one
    redis_db: int = int(os.environ.get("STACK_REDIS_DB", "13"))
    postgres_url: str = os.environ.get("STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    redis_url: str = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379")
    tick_seconds: int = 60
    extra_env: dict = field(default_factory=dict)
    keep: bool = False
    log: object = sys.stderr

    def __post_init__(self):
        self.run = Path(tempfile.mkdtemp(prefix="schoolplein-stack-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.started_from: dict[str, tuple[str, str]] = {}
        self.database = f"schoolplein_stack_{secrets.token_hex(4)}"
        self.database_created = False
        self.ticker: threading.Thread | None = None
        self.ticking = threading.Event()
        self.tick_process: subprocess.Popen | None = None
        self.links: list[str] = []
        self.commands: dict[str, list[str]] = {}
        self.lock = threading.RLock()  # the processes, changed by the supervisor thread too
        self.stopping = threading.Event()
        self.supervisor: threading.Thread | None = None
        self.restarts: list[str] = []  # what the supervisor started again, by name
        # The socket units' listeners, held as systemd holds them: across restarts of their services.
        self.sockets: dict[tuple[str, str], socket.socket] = {}

    # --- the pieces -------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.run / "data"

    @property
    def mail_dir(self) -> Path:
        return self.run / "mail"

    @property
    def database_url(self) -> str:
        return self.postgres_url.rsplit("/", 1)[0] + "/" + self.database

    @property
    def stack_redis_url(self) -> str:
        return f"{self.redis_url.rstrip('/')}/{self.redis_db}"

    def say(self, text: str) -> None:
        print(text, file=self.log, flush=True)

    def spawn(
        self, name: str, command: list[str], *, env: dict | None = None, pass_fds: tuple[int, ...] = ()
    ) -> subprocess.Popen:
        self.commands[name] = command
        logfile = (self.run / "logs" / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the stack, which stops each child by its id
            pass_fds=pass_fds,
        )
        logfile.close()
        with self.lock:
            self.processes[name] = process
        return process

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.run / "logs" / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def app_env(self) -> dict[str, str]:
        """The deploy/ environment file with this stack's addresses put in."""
        env = read_env(ROOT / "deploy" / "schoolplein.env.example")
        env.update(
            DJANGO_SETTINGS_MODULE="schoolplein.settings",  # not the test settings of a pytest run
            SECRET_KEY=f"stack-{secrets.token_urlsafe(48)}",
            DEMO_MODE="1",  # the persona links, and cookies without the Secure flag on plain http
            ALLOWED_HOSTS=f"{HOST},localhost",
            CSRF_TRUSTED_ORIGINS=self.url,
            SITE_URL=self.url,
            DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,
            REDIS_URL=self.stack_redis_url,
            TRUSTED_PROXIES=HOST,
            MEDIA_S3_ENDPOINT_URL=f"http://{HOST}:{self.s3_port}",
            MEDIA_S3_REGION="us-east-1",
            MEDIA_S3_ACCESS_KEY="stack",
            MEDIA_S3_SECRET_KEY="stack-secret",
            MEDIA_S3_BUCKET=BUCKET,
            EMAIL_HOST=HOST,
            EMAIL_PORT=str(self.smtp_port),
            DEFAULT_FROM_EMAIL="Schoolplein <noreply@schoolplein.example>",
            VAPID_SUBJECT="mailto:privacy@schoolplein.example",
            WEB_WORKERS=os.environ.get("STACK_WEB_WORKERS", "1"),
            WEB_THREADS="4",
            **self.extra_env,
        )
        return env

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.postgres_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        self.database_created = True

    def drop_database(self) -> None:
        import psycopg

        if self.database_created:
            with psycopg.connect(self.postgres_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            self.database_created = False

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.stack_redis_url).flushdb()

    def s3(self):
        """A client of the stack's object store, with the app's own credentials."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["MEDIA_S3_ENDPOINT_URL"],
            region_name=self.env["MEDIA_S3_REGION"],
            aws_access_key_id=self.env["MEDIA_S3_ACCESS_KEY"],
            aws_secret_access_key=self.env["MEDIA_S3_SECRET_KEY"],
        )

    def s3_objects(self) -> dict[str, bytes]:
        """Every object in the media bucket, by key (for the tests)."""
        client = self.s3()
        listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return {
            obj["Key"]: client.get_object(Bucket=BUCKET, Key=obj["Key"])["Body"].read() for obj in listing
        }

    def start_unit(self, unit: str, instance: str = "") -> subprocess.Popen:
        command = exec_start(self.units[unit], instance=instance, env=self.env)
        name = unit.split("@")[0].split(".")[0] + (f"-{instance}" if instance else "")
        self.started_from[name] = (unit, instance)
        socket_unit = unit.removesuffix(".service") + ".socket"
        if socket_unit not in self.units:
            return self.spawn(name, command, env=self.env)
        listener = self.listener(socket_unit, instance)
        activated = [sys.executable, "-m", "stack.activate", str(listener.fileno()), *command]
        return self.spawn(name, activated, env=self.env, pass_fds=(listener.fileno(),))

    def listener(self, socket_unit: str, instance: str) -> socket.socket:
        """The socket unit's listening socket, opened the first time its service starts and kept until the
        stack stops: systemd's socket activation, which carries connections over a restart of the service."""
        key = (socket_unit, instance)
        if key not in self.sockets:
            backlog = int(unit_setting(self.units[socket_unit].read_text(), "Backlog"))
            address = listen_stream(self.units[socket_unit], instance=instance)
            self.sockets[key] = socket.create_server(address, backlog=backlog)
        return self.sockets[key]

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Signal a process and its children (a worker's job runs in a forked child): its process group.

        A web or worker process killed so is started again by the supervisor, as systemd would."""
        process = self.processes[name]
        os.killpg(process.pid, sig)
        process.wait(timeout=60)

    def stop_unit(self, name: str) -> None:
        """`systemctl stop` of a service (its socket unit, if any, stays): SIGTERM, a graceful stop."""
        with self.lock:
            process = self.processes[name]
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)

    def restart(self, name: str) -> subprocess.Popen:
        """`systemctl restart`: stop a unit's process (SIGTERM, a graceful stop), then start it again."""
        with self.lock:
            self.stop_unit(name)
            return self.start_unit(*self.started_from[name])

    def restart_service(self, name: str, *, down_seconds: float = 0) -> None:
        """Stop one of the stack's own services (redis, s3, smtp) and start it again on the same port,
        after `down_seconds`. Neither Redis (no --save, no appendonly) nor moto keeps anything on disk: the
        service comes back empty, as a Redis without persistence does after a restart."""
        process = self.processes[name]
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        time.sleep(down_seconds)
        self.spawn(name, self.commands[name])
        wait_for_port(self.service_ports[name], process=self.processes[name])
        if name == "s3":
            self.s3().create_bucket(Bucket=BUCKET)

    def supervise(self) -> None:
        """systemd's Restart= for the web and worker units: a process that died is started again after
        RestartSec (on-failure: when it did not exit cleanly)."""
        while not self.stopping.wait(0.5):
            with self.lock:
                for name, (unit, instance) in list(self.started_from.items()):
                    process = self.processes.get(name)
                    if unit == "tick.service" or process is None or process.poll() is None:
                        continue
                    text = self.units[unit].read_text()
                    policy = unit_setting(text, "Restart")
                    if policy == "always" or (policy == "on-failure" and process.returncode != 0):
                        if self.stopping.wait(float(unit_setting(text, "RestartSec").rstrip("s"))):
                            return
                        self.say(f"{name} exited ({process.returncode}); starting it again")
                        self.restarts.append(name)
                        self.start_unit(unit, instance)

    def tick_loop(self) -> None:
        """What tick.timer does: run tick.service every OnUnitActiveSec, never two at once."""
        interval = float(unit_setting(self.units["tick.timer"].read_text(), "OnUnitActiveSec").rstrip("s"))
        while not self.ticking.wait(interval if self.tick_process else 1):
            self.tick_process = self.start_unit("tick.service")
            self.tick_process.wait()

    # --- up and down ------------------------------------------------------------------------------------
    def start(self) -> "Stack":
        nginx = nginx_binary()
        if nginx is None:
            raise StackError("nginx is not installed: run scripts/bootstrap --stack")
        if self.port and not port_free(self.port):
            raise StackError(
                f"port {self.port} on {HOST} is in use; pick another: STACK_PORT=8091 make stack"
            )
        self.port = self.port or free_port()
        web_ports = [free_port(), free_port()]
        self.s3_port, self.smtp_port = free_port(), free_port()
        self.service_ports = {"s3": self.s3_port, "smtp": self.smtp_port}
        (self.run / "logs").mkdir(parents=True)
        try:
            self._start(nginx, web_ports)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, nginx: str, web_ports: list[int]) -> None:
        self.say(f"Starting the stack in {self.run} …")
        self.create_database()
        if redis_server := shutil.which("redis-server"):
            # A Redis of its own, keeping nothing on disk: flushing or restarting it touches nobody else.
            self.service_ports["redis"] = port = free_port()
            redis = self.spawn(
                "redis",
                [redis_server, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
                + ["--dir", str(self.run), "--protected-mode", "no"],
            )
            self.redis_url, self.redis_db = f"redis://{HOST}:{port}", 0
            wait_for_port(port, process=redis)
        self.flush_redis()
        s3 = self.spawn("s3", [str(VENV_BIN / "moto_server"), "-H", HOST, "-p", str(self.s3_port)])
        self.spawn(
            "smtp",
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"{HOST}:{self.smtp_port}"]
            + ["-c", "aiosmtpd.handlers.Mailbox", str(self.mail_dir)],
        )
        self.env = self.app_env()
        env_file = self.run / "schoolplein.env"
        write_env(env_file, self.env)
        values = site_values(
            port=self.port,
            web_ports=web_ports,
            data_dir=self.data_dir,
            env_file=env_file,
            tick_seconds=self.tick_seconds,
        )
        self.units = render_deploy(self.run / "deploy", values)
        wait_for_port(self.s3_port, process=s3)
        self.s3().create_bucket(Bucket=BUCKET)
        wait_for_port(self.smtp_port, process=self.processes["smtp"])
        self.say("Migrating the scratch database and seeding the demo school …")
        prepared = subprocess.run(
            [sys.executable, "manage.py", "demo_prepare"],
            cwd=ROOT,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        if prepared.returncode:
            raise StackError(f"demo_prepare failed:\n{prepared.stderr[-3000:]}")
        self.links = prepared.stdout.strip().splitlines()
        for port in web_ports:
            self.start_unit("web@.service", str(port))
        for number in ("1", "2"):
            self.start_unit("worker@.service", number)
        self.ticker = threading.Thread(target=self.tick_loop, daemon=True)
        self.ticker.start()
        self.supervisor = threading.Thread(target=self.supervise, daemon=True)
        self.supervisor.start()
        conf = nginx_main_conf(self.run, self.units["schoolplein.conf"])
        self.spawn("nginx", [nginx, "-e", "stderr", "-p", str(self.run), "-c", str(conf)])
        for port, name in zip(web_ports, ("web-" + str(p) for p in web_ports), strict=True):
            wait_for_answer(port, process=self.processes[name])
        self.wait_ready()

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            for name, process in list(self.processes.items()):
                if process.poll() is not None:
                    raise StackError(f"{name} stopped (exit {process.returncode}):\n{self.log_tail(name)}")
            time.sleep(0.2)
        raise StackError(f"{self.url} does not answer:\n{self.log_tail('nginx')}")

    def wait_idle(self, seconds: float = 180) -> None:
        """Wait until the task queue is empty and no job runs (the demo seed's fan-out, say)."""
        import redis
        from rq import Queue
        from rq.registry import StartedJobRegistry

        queue = Queue("default", connection=redis.Redis.from_url(self.stack_redis_url))
        deadline = time.monotonic() + seconds
        while queue.count or StartedJobRegistry(queue=queue).count:
            if time.monotonic() > deadline:
                raise StackError(f"the task queue is still busy after {seconds:.0f} s")
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop every process by its id (newest first), then drop the scratch database and Redis keys."""
        self.stopping.set()
        if self.supervisor:
            self.supervisor.join(timeout=10)
        self.ticking.set()
        if self.tick_process and self.tick_process.poll() is None:
            self.tick_process.terminate()
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        for name, process in reversed(list(self.processes.items())):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.say(f"{name} did not stop in 15 s; killing it")
                process.kill()
                process.wait()
        for listener in self.sockets.values():
            listener.close()
        if self.ticker:
            self.ticker.join(timeout=5)
        with contextlib.suppress(Exception):
            self.drop_database()
        if "redis" not in self.processes:  # a shared Redis: remove the stack's keys
            with contextlib.suppress(Exception):
                self.flush_redis()
        if not self.keep:
            shutil.rmtree(self.run, ignore_errors=True)

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def dead(self) -> list[str]:
        """Processes that stopped and that no supervisor starts again (the tick runs and ends by design)."""
        with self.lock:
            watched = [(n, p) for n, p in self.processes.items() if n not in self.started_from]
        return [name for name, process in watched if process.poll() is not None]
