"""Fill in the files shipped in deploy/ (nginx site, systemd units, environment file) and read them back.

The production recipe and the local stack use the same files: `render_deploy` writes them with production
values (or the stack's ports and folders), and the stack starts each process from the ExecStart= of the
unit it would run under, with the environment file the unit names.
"""

import re
import shlex
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
# Installed under these names (the timer starts the service of its own name).
UNITS = {
    "web@.socket": "schoolplein-web@.socket",
    "web@.service": "schoolplein-web@.service",
    "worker@.service": "schoolplein-worker@.service",
    "tick.service": "schoolplein-tick.service",
    "tick.timer": "schoolplein-tick.timer",
}

PRODUCTION = {
    "LISTEN": "443 ssl http2",
    "SERVER_NAME": "school.example",
    "TLS": "    ssl_certificate /etc/letsencrypt/live/school.example/fullchain.pem;\n"
    "    ssl_certificate_key /etc/letsencrypt/live/school.example/privkey.pem;\n",
    "WEB_PORTS": "8001,8002",
    "CLIENT_MAX_BODY_SIZE": "520m",
    "STATIC_URL": "/static/",
    "STATIC_ROOT": "/srv/schoolplein/var/static",
    "MEDIA_ROOT": "/srv/schoolplein/var/media",
    "MEDIA_NGINX_LOCATION": "/_protected_media/",
    "USER": "schoolplein",
    "APP_DIR": "/srv/schoolplein/app",
    "ENV_FILE": "/etc/schoolplein/schoolplein.env",
    "TICK_SECONDS": "60",
}


def upstream_servers(ports: str) -> str:
    # max_fails=0: the app processes are on this machine. A restarting one refuses nothing (systemd holds its
    # socket, web@.socket), and one whose socket is gone refuses at once, so nginx asks the other
    # (proxy_next_upstream). Taking one out for 10 s after a failure turned a restart, or one timeout under
    # load, into 502s for everyone while the other was out too (the morning rush drills).
    return "\n".join(f"    server 127.0.0.1:{port} max_fails=0;" for port in ports.split(",") if port)


def fill(text: str, values: dict[str, str]) -> str:
    """The text with every {{NAME}} replaced; a name without a value is an error, not an empty string."""
    values = {**values, "UPSTREAM_SERVERS": upstream_servers(values.get("WEB_PORTS", ""))}
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def render_deploy(dest: Path, values: dict[str, str]) -> dict[str, Path]:
    """Write the nginx site and the systemd units, filled in, into dest; return them by their deploy/ name."""
    dest.mkdir(parents=True, exist_ok=True)
    written = {}
    sources = {"schoolplein.conf": DEPLOY / "nginx" / "schoolplein.conf"}
    sources |= {unit: DEPLOY / "systemd" / unit for unit in UNITS}
    for name, source in sources.items():
        target = dest / UNITS.get(name, name)
        target.write_text(fill(source.read_text(), values))
        written[name] = target
    return written


def read_env(path: Path) -> dict[str, str]:
    """An EnvironmentFile= as systemd reads it: KEY=value lines, comments, surrounding quotes removed."""
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def write_env(path: Path, env: dict[str, str]) -> None:
    lines = [f'{key}="{value}"' if " " in value else f"{key}={value}" for key, value in env.items()]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)


def unit_setting(unit_text: str, key: str) -> str:
    for line in unit_text.splitlines():
        if line.startswith(f"{key}="):
            return line.split("=", 1)[1].strip()
    raise KeyError(key)


def listen_stream(unit_path: Path, *, instance: str = "") -> tuple[str, int]:
    """The address a socket unit listens on: its ListenStream=HOST:PORT with %i put in."""
    host, port = unit_setting(unit_path.read_text(), "ListenStream").replace("%i", instance).rsplit(":", 1)
    return host, int(port)


def exec_start(unit_path: Path, *, instance: str = "", env: dict[str, str], host: str = "stack") -> list[str]:
    """The command a unit runs: its ExecStart= with %i, %H and ${VAR} (from the environment file) put in."""
    line = unit_setting(unit_path.read_text(), "ExecStart")
    line = line.replace("%i", instance).replace("%H", host)
    return [re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], word) for word in shlex.split(line)]
