"""The files in deploy/ as the stack fills them in: nginx accepts the site, the units give the commands."""

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from stack.render import PRODUCTION, exec_start, fill, listen_stream, read_env, render_deploy, unit_setting
from stack.services import ROOT, nginx_binary, nginx_main_conf, site_values

NGINX = nginx_binary()


def rendered(tmp_path: Path) -> dict[str, Path]:
    values = site_values(
        port=18080,
        web_ports=[18001, 18002],
        data_dir=tmp_path / "data",
        env_file=tmp_path / "schoolplein.env",
        tick_seconds=60,
    )
    return render_deploy(tmp_path / "deploy", values)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/bootstrap --stack installs it)")
def test_nginx_accepts_the_rendered_site(tmp_path):
    site = rendered(tmp_path)["schoolplein.conf"]
    conf = nginx_main_conf(tmp_path, site)
    result = subprocess.run(
        [NGINX, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/bootstrap --stack installs it)")
def test_nginx_refuses_a_broken_site(tmp_path):
    site = rendered(tmp_path)["schoolplein.conf"]
    site.write_text(site.read_text().replace("proxy_pass http://schoolplein_app;", "proxy_pass;"))
    conf = nginx_main_conf(tmp_path, site)
    result = subprocess.run([NGINX, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(conf)], check=False)
    assert result.returncode != 0


def test_the_site_proxies_to_both_app_processes_and_hides_protected_media(tmp_path):
    site = rendered(tmp_path)["schoolplein.conf"].read_text()
    assert "server 127.0.0.1:18001 " in site and "server 127.0.0.1:18002 " in site
    assert "listen 127.0.0.1:18080;" in site
    protected = site.split("location /_protected_media/ {", 1)[1].split("}", 1)[0]
    assert "internal;" in protected
    assert f"alias {tmp_path / 'data' / 'media'}/;" in protected
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site
    assert "client_max_body_size 520m;" in site


def test_production_values_fill_every_placeholder(tmp_path):
    written = render_deploy(tmp_path, PRODUCTION)
    assert set(written) == {
        "schoolplein.conf",
        "tick.service",
        "tick.timer",
        "web@.service",
        "web@.socket",
        "worker@.service",
    }
    for path in written.values():
        assert "{{" not in path.read_text(), path.name
    assert (tmp_path / "schoolplein-web@.service").exists()
    assert (tmp_path / "schoolplein-web@.socket").exists()
    assert "ssl_certificate_key" in written["schoolplein.conf"].read_text()


def test_a_missing_value_is_an_error():
    with pytest.raises(KeyError, match="LISTEN"):
        fill("listen {{LISTEN}};", {})


def test_units_give_the_commands_the_stack_runs(tmp_path):
    units = rendered(tmp_path)
    env = read_env(ROOT / "deploy" / "schoolplein.env.example")
    web = exec_start(units["web@.service"], instance="18001", env=env)
    assert web[0] == f"{ROOT}/.venv/bin/gunicorn"
    assert web[web.index("--bind") + 1] == "127.0.0.1:18001"
    assert web[web.index("--workers") + 1] == env["WEB_WORKERS"]
    worker = exec_start(units["worker@.service"], instance="2", env=env, host="web1")
    assert worker[2:4] == ["rqworker", "default"] and "--with-scheduler" in worker
    assert "--name" not in worker  # a fixed name is refused after a SIGKILL until the dead one's expires
    assert exec_start(units["tick.service"], env=env)[-1] == "tick"


def test_the_environment_example_is_production_ready():
    env = read_env(ROOT / "deploy" / "schoolplein.env.example")
    assert env["DEBUG"] == "0" and env["DEMO_MODE"] == "0"
    assert env["TASK_BACKEND"] == "rq" and env["MEDIA_SERVE_MODE"] == "s3"
    assert env["TRUSTED_PROXIES"] == "127.0.0.1"
    assert env["DEFAULT_FROM_EMAIL"] == "Schoolplein <noreply@school.example>"  # quotes removed


def test_each_web_instance_takes_its_listening_socket_from_a_socket_unit(tmp_path):
    units = rendered(tmp_path)
    assert listen_stream(units["web@.socket"], instance="18001") == ("127.0.0.1", 18001)
    service = units["web@.service"].read_text()
    assert "Requires=schoolplein-web@%i.socket" in service  # starting the service opens its socket first
    assert "schoolplein-web@%i.socket" in unit_setting(service, "After")


def test_the_activation_launcher_hands_over_the_socket_as_systemd_does():
    """gunicorn serves fd 3 only when LISTEN_PID is its own id: the launcher must exec, not fork."""
    probe = (
        "import os, socket; s = socket.socket(fileno=3); "
        "print(os.environ['LISTEN_FDS'], os.environ['LISTEN_PID'] == str(os.getpid()), s.getsockname()[1])"
    )
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "stack.activate", str(listener.fileno()), sys.executable, "-c", probe],
            cwd=ROOT,
            pass_fds=(listener.fileno(),),
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "True", str(port)]
