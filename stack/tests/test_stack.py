"""The production stack, started for real (make test-stack) and driven from outside through nginx.

One stack for the session (conftest.py): starting it (migrations and the demo seed on a scratch PostgreSQL
database) is most of the time. The client connects from 127.0.0.2, so nginx (127.0.0.1, the one trusted
proxy) forwards an address the app can tell apart from its own.
"""

import email
import hashlib
import io
import mailbox
import re
import threading
import time
import uuid

import psycopg
import pytest
import redis
import requests
from PIL import Image
from requests.adapters import HTTPAdapter

from demo.personas import PERSONAS
from stack.services import Stack, nginx_binary
from stack.tests.conftest import mail_copies

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed: scripts/bootstrap --stack"),
]

CLIENT_ADDRESS = "127.0.0.2"
SPOOFED = "203.0.113.9"


class FromAddress(HTTPAdapter):
    """Connect from a given local address (any 127/8 address reaches nginx on 127.0.0.1)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client() -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(CLIENT_ADDRESS))
    return session


def wait_for(what: str, condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds} s")


def sign_in(stack: Stack, persona: str) -> requests.Session:
    session = client()
    response = session.get(f"{stack.url}/demo/login/{persona}/", headers={"X-Forwarded-For": SPOOFED})
    assert response.status_code == 200 and response.url == f"{stack.url}/", response.text[:300]
    assert response.headers["Server"] == "nginx"
    return session


def api(session: requests.Session, stack: Stack, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"X-CSRFToken": session.cookies.get("csrftoken", "")}
    return session.request(method, f"{stack.url}/api/v1{path}", headers=headers, **kwargs)


def query(stack: Stack, sql: str, *params):
    with psycopg.connect(stack.database_url) as connection:
        return connection.execute(sql, params).fetchall()


def photo_bytes() -> bytes:
    """A photo no other upload has: noise, so its bytes are unique and no face is found in it."""
    image = Image.effect_noise((1200, 900), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_static_files_come_from_nginx(stack):
    page = client().get(f"{stack.url}/accounts/login/")
    css = re.search(r"/static/css/app\.[0-9a-f]+\.css", page.text).group(0)
    response = client().get(stack.url + css)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css"
    # nginx's own headers (deploy/'s static location), not whitenoise's
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', response.headers["ETag"])


def test_the_client_address_is_the_one_nginx_saw(stack):
    session = sign_in(stack, "parent")
    session_key = session.cookies.get("schoolplein_session")
    [(address,)] = query(
        stack, "SELECT ip_address FROM accounts_usersession WHERE session_key = %s", session_key
    )
    assert str(address) == CLIENT_ADDRESS  # not nginx's 127.0.0.1, not what the client wrote itself

    # A wrong password is counted against the client's address, so one visitor never locks out the rest.
    login = client()
    login.get(f"{stack.url}/accounts/login/")
    login.post(
        f"{stack.url}/accounts/login/",
        data={"email": "nobody@example.net", "password": "wrong-wrong-wrong"},
        headers={"X-CSRFToken": login.cookies["csrftoken"], "X-Forwarded-For": SPOOFED},
    )
    keys = {key.decode() for key in redis.Redis.from_url(stack.stack_redis_url).keys("*ratelimit:login:ip:*")}

    def counted(address: str) -> bool:
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        return any(key.endswith(f"ratelimit:login:ip:{digest}") for key in keys)

    assert counted(CLIENT_ADDRESS)
    assert not counted("127.0.0.1") and not counted(SPOOFED)


def test_a_photo_goes_through_the_worker_into_s3_and_reaches_a_parent(stack):
    # The parent wants class posts by email too, at any hour (the test may run in the night's quiet hours).
    parent = sign_in(stack, "parent")
    quiet = {"quiet_from": "07:00", "quiet_until": "07:00", "digest": "off"}
    assert api(parent, stack, "PUT", "/notifications/preferences/settings", json=quiet).status_code == 200
    wanted = {"kind": "post.published", "push": True, "email": True, "digest": False}
    assert api(parent, stack, "PUT", "/notifications/preferences", json=wanted).status_code == 200

    teacher = sign_in(stack, "teacher")
    original = photo_bytes()
    groups = api(teacher, stack, "GET", "/groups").json()
    school_class = next(group for group in groups if group["kind"] == "class")

    upload = api(
        teacher, stack, "POST", "/media/uploads", files={"file": ("klas.jpg", original, "image/jpeg")}
    )
    assert upload.status_code == 201, upload.text
    media_id = upload.json()["id"]
    title = f"Stack {uuid.uuid4().hex[:8]}"
    post = api(
        teacher,
        stack,
        "POST",
        "/posts",
        json={
            "groups": [school_class["public_id"]],
            "title": title,
            "body": "Vandaag",
            "media_ids": [media_id],
        },
    )
    assert post.status_code == 201, post.text

    def processed():
        media = api(teacher, stack, "GET", f"/media/{media_id}").json()
        return media if media["status"] in ("ready", "failed") else None

    ready = wait_for("the worker processed the photo", processed, seconds=90)
    assert ready["status"] == "ready", ready
    assert ready["renditions"]
    objects = stack.s3_objects()
    digest = hashlib.sha256(original).hexdigest()
    assert digest not in {hashlib.sha256(body).hexdigest() for body in objects.values()}  # never stored

    # The worker that finished the photo publishes the post after its commit (the carrier's settled hook),
    # a moment after the photo is ready; the publication task's 15 s poll is only the safety net.
    def published():
        feed = api(parent, stack, "GET", "/posts").json()
        return feed if title in str(feed) else None

    wait_for("the parent of the class sees the post", published, seconds=10)
    thumbnail = min(ready["renditions"].items(), key=lambda item: len(item[0]))[1]
    redirect = parent.get(stack.url + thumbnail, allow_redirects=False)
    assert redirect.status_code == 302 and redirect.headers["Server"] == "nginx"
    location = redirect.headers["Location"]
    assert location.startswith(stack.env["MEDIA_S3_ENDPOINT_URL"] + "/schoolplein-media/")
    image = requests.get(location, timeout=10)
    assert image.status_code == 200 and image.headers["Content-Type"].startswith("image/")
    assert image.content in objects.values() and image.content != original

    # the original is not served under any name; a stranger gets nothing and no redirect
    assert (
        parent.get(stack.url + thumbnail.rsplit("/", 1)[0] + "/klas.jpg", allow_redirects=False).status_code
        == 404
    )
    stranger = client().get(stack.url + thumbnail, allow_redirects=False)
    assert stranger.status_code in (302, 404)
    assert not stranger.headers.get("Location", "").startswith(stack.env["MEDIA_S3_ENDPOINT_URL"])

    def mailed():
        for message in mailbox.Maildir(stack.mail_dir, create=False):
            subject = str(email.header.make_header(email.header.decode_header(message["Subject"] or "")))
            # The class's other parents may want it by email too (the rush's families do).
            if message["To"] == PERSONAS["parent"] and (title in subject or title in message.as_string()):
                return message
        return None

    message = wait_for("a notification mail reached the parent through the SMTP sink", mailed)
    assert message["Message-ID"]


def test_a_worker_killed_mid_fan_out_leaves_every_mail_sent_once(stack):
    """SIGKILL a busy RQ worker while an urgent school-wide post is mailed to every family: the batch it
    held is left unfinished, and the tick hands it (once its claim ran out) to a worker that sends it."""
    from rq import Worker

    director = sign_in(stack, "director")
    groups = api(director, stack, "GET", "/groups").json()
    school = next(group for group in groups if group["kind"] == "school")
    deliveries_sql = (
        "SELECT d.id, d.state FROM notifications_delivery d"
        " JOIN notifications_dispatch p ON p.id = d.dispatch_id"
        " WHERE p.subject_type = 'post' AND p.subject_id = %s AND d.channel = 'email'"
    )
    connection = redis.Redis.from_url(stack.stack_redis_url)
    pids: dict[int, str] = {}

    def drill():
        """Post, and kill a worker while it holds a batch of this post's mail (with the job's work horse).
        The rows of its batch still claimed by the dead worker, or none when it finished the batch in the
        moment between being seen busy and the kill (a quiet machine sends a batch in milliseconds)."""
        draft = {"groups": [school["public_id"]], "title": f"Drill {uuid.uuid4().hex[:8]}", "urgent": True}
        draft["body"] = "De school is morgen om 12 uur uit."
        post = api(director, stack, "POST", "/posts", json=draft)
        assert post.status_code == 201, post.text
        post_id = post.json()["id"]
        # The workers as they run now (a worker killed in an earlier drill runs again under a new pid).
        pids.clear()
        pids.update({proc.pid: name for name, proc in stack.processes.items() if name.startswith("worker-")})
        deadline = time.monotonic() + 90
        while True:
            assert time.monotonic() < deadline, "no worker was seen sending this post's mail"
            now = dict(query(stack, deliveries_sql, post_id))
            if now and set(now.values()) == {"sent"}:
                return post_id, None, [], 0.0  # the fan-out ended before a worker could be killed
            busy = [
                (w.pid, job.args[0])
                for w in Worker.all(connection=connection)
                if w.pid in pids
                and (job := w.get_current_job()) is not None
                and job.func_name.endswith("send_deliveries")
            ]
            if "sending" in now.values() and busy:
                break
            time.sleep(0.05)
        victim, batch = busy[0]
        stack.kill(
            pids[victim]
        )  # the supervisor starts it again after RestartSec, as systemd's Restart=always
        killed_at = time.time()
        left = query(
            stack,
            "SELECT id, claim_token FROM notifications_delivery WHERE id = ANY(%s) AND state = 'sending'",
            batch,
        )
        return post_id, victim, left, killed_at

    # Up to three posts: the kill must land while the batch is still in hand, which timing decides.
    for _attempt in range(3):
        post_id, victim, left, killed_at = drill()
        if left:
            break
    assert left, "in three drills the killed worker had always finished its batch: the drill showed nothing"

    def states() -> dict[int, str]:
        return dict(query(stack, deliveries_sql, post_id))

    final = wait_for(
        "every delivery was sent after the kill",
        lambda: (now := states()) and set(now.values()) == {"sent"} and now,
        seconds=120,
    )
    # ... and someone else finished it, after the kill, under a claim of its own.
    finished = query(
        stack,
        "SELECT id, claim_token, extract(epoch FROM sent_at), attempts FROM notifications_delivery"
        " WHERE id = ANY(%s)",
        [pk for pk, _token in left],
    )
    assert all(sent_at > killed_at for _pk, _token, sent_at, _attempts in finished)
    assert pids[victim] in stack.restarts, "the killed worker was started again"
    assert stack.processes[pids[victim]].poll() is None, "and it stays up (RQ accepted its registration)"

    copies = mail_copies(stack)
    ids = {f"<delivery-{pk}@schoolplein.example>" for pk in final}
    assert ids <= set(copies), "every delivery reached the SMTP sink"
    twice = [mid for mid in ids if len(copies[mid]) > 1]
    assert len(twice) <= 1, f"only the one in flight may go twice (same Message-ID), not {len(twice)}"
    assert all(len(set(copies[mid])) == 1 for mid in ids), "a Message-ID goes to one person"


def test_a_request_made_while_an_app_process_restarts_waits_for_the_next_one(stack):
    """The listening socket is systemd's (web@.socket), not gunicorn's: a connection that arrives while the
    process is stopped waits in the socket's queue, and the next process answers it. When gunicorn owned the
    socket, its graceful stop closed it with connections queued, and a POST nginx had sent down one of them
    was answered 502 (the restart drill in test_stack_rush.py, now and then)."""
    web = next(name for name in stack.processes if name.startswith("web-"))
    port = int(web.removeprefix("web-"))
    outcome = {}

    def post():
        try:
            answer = requests.post(f"http://127.0.0.1:{port}/accounts/login/", data={"x": "1"}, timeout=60)
            outcome["status"] = answer.status_code
        except requests.RequestException as error:
            outcome["error"] = repr(error)

    with stack.lock:  # the supervisor keeps its hands off meanwhile
        stack.stop_unit(web)
        sender = threading.Thread(target=post)
        sender.start()
        sender.join(timeout=2)
        assert outcome == {}, "the connection was refused or dropped while the process was stopped"
        stack.start_unit(*stack.started_from[web])
    sender.join(timeout=60)
    # Answered by the new process: refused by the app (no CSRF token), not by the socket.
    assert outcome == {"status": 403}
