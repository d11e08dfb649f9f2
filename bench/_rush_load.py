"""The morning rush's users, driven by locust as a library (`python -m bench._rush_load CONFIG`).

A child process of its own: locust patches the standard library for gevent on import, which must not
reach the process that runs the stack or pytest. CONFIG (JSON) holds the stack's address, the sessions
and targets of the world builder, and the sizes; the last line printed is JSON: every request's kind,
milliseconds and status, and when the school-wide post was published.

Each person does their morning once and then idles; a stopped locust user would be spawned again.
"""

import html
import io
import json
import random
import re
import sys
import time
from urllib.parse import urlsplit

import gevent
from gevent.event import Event
from locust import HttpUser, constant, task
from locust.env import Environment
from PIL import Image

THUMBNAIL = re.compile(r'src="(/media/[^"]+)"')
POST_LINK = re.compile(r'href="(/posts/[A-Za-z0-9_-]{6,}/)"')

config: dict = {}
records: list[dict] = []
done = {"parents": 0, "teachers": 0, "director": 0}
finished = Event()
published: dict = {}


def record(request_type, name, response_time, response_length, response=None, exception=None, **_):
    status = getattr(response, "status_code", 0) if response is not None else 0
    headers = getattr(response, "headers", None) or {}
    records.append(
        {
            "kind": name,
            "ms": response_time,
            "status": status,
            "retry_after": headers.get("Retry-After", ""),
            "error": f"{type(exception).__name__}: {exception}"[:200] if exception else "",
        }
    )


def photo(seed: int) -> bytes:
    """A phone-sized photo whose bytes no other upload has (noise, so no face is found in it)."""
    image = Image.effect_noise((1600, 1200), 40 + seed % 20).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


class Person(HttpUser):
    abstract = True
    wait_time = constant(0)
    people: list[dict] = []

    def on_start(self):
        self.me = type(self).people.pop(0)
        self.client.cookies.set(config["cookie"], self.me["session"])

    def think(self):
        low, high = config["think"]
        gevent.sleep(random.uniform(low, high))

    def csrf(self) -> dict:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}

    def idle(self, role: str):
        done[role] += 1
        if all(done[r] >= config["counts"][r] for r in done):
            finished.set()
        gevent.sleep(3600)  # until the runner quits; a user that returns would be spawned again


class Parent(Person):
    """Arrives (spread over the window by the spawn rate), reads home, the feed with every thumbnail, a
    post and the messages; the first `absences` of them report their child sick for the next school day."""

    weight = 1

    @task
    def morning(self):
        self.client.get("/", name="home")
        self.think()
        feed = self.client.get("/posts/", name="feed")
        for src in dict.fromkeys(html.unescape(src) for src in THUMBNAIL.findall(feed.text)):
            self.client.get(src, name="thumbnail", allow_redirects=False)
        self.think()
        if link := next(iter(POST_LINK.findall(feed.text)), None):
            self.client.get(link, name="post")
            self.think()
        self.client.get("/messages/", name="messages")
        if self.me.get("absence"):
            self.think()
            body = {"child_id": self.me["child"], "day": config["sick_day"], "note": "Koorts"}
            self.client.post("/api/v1/absences/sick", json=body, headers=self.csrf(), name="report absence")
        self.idle("parents")


class Teacher(Person):
    """Starts somewhere in the window: uploads the photos, posts them to the class, writes to parents."""

    fixed_count = 0

    @task
    def morning(self):
        gevent.sleep(random.uniform(0, config["seconds"] * 0.6))
        self.client.get("/", name="home")
        ids = []
        for n in range(config["photos"]):
            files = {"file": (f"klas-{n}.jpg", config_photos[n % len(config_photos)], "image/jpeg")}
            upload = self.client.post(
                "/api/v1/media/uploads", files=files, headers=self.csrf(), name="upload"
            )
            if upload.status_code == 201:
                ids.append(upload.json()["id"])
        post = {
            "groups": [self.me["group"]],
            "title": "Vanochtend in de klas",
            "body": "Kijk!",
            "media_ids": ids,
        }
        self.client.post("/api/v1/posts", json=post, headers=self.csrf(), name="create post")
        for pupil in self.me["pupils"][:2]:
            self.think()
            message = {"pupil_id": pupil, "subject": "Gymspullen", "body": "Denk morgen aan de gymschoenen."}
            self.client.post("/api/v1/conversations/", json=message, headers=self.csrf(), name="send message")
        self.idle("teachers")


class Director(Person):
    """Posts to the whole school halfway through the rush: the fan-out to every family runs during it."""

    fixed_count = 1

    @task
    def morning(self):
        self.client.get("/", name="home")
        gevent.sleep(max(0.0, config["seconds"] / 2 - 1))
        post = {
            "groups": [config["school_group"]],
            "title": "Studiedag vrijdag",
            "body": "Vrijdag zijn alle leerlingen vrij; de opvang is open.",
        }
        response = self.client.post("/api/v1/posts", json=post, headers=self.csrf(), name="fan-out post")
        if response.status_code == 201:
            published.update(id=response.json()["id"], at=time.time())
        self.idle("director")


config_photos: list[bytes] = []


def main() -> None:
    with open(sys.argv[1]) as handle:
        config.update(json.load(handle))
    host = config["url"]
    if urlsplit(host).hostname != "127.0.0.1":
        raise SystemExit(f"the rush runs only against 127.0.0.1, not {host}")
    parents = config["parents"]
    for n, parent in enumerate(parents):
        parent["absence"] = n < config["absences"]
    Parent.people = list(parents)
    Teacher.people = list(config["teachers"])
    Teacher.fixed_count = len(config["teachers"])
    Director.people = [{"session": config["director"]}]
    config["counts"] = {"parents": len(parents), "teachers": len(config["teachers"]), "director": 1}
    classes = [Parent, Teacher, Director]
    if not config["fan_out"]:
        classes, config["counts"]["director"] = [Parent, Teacher], 0
    if not config["teachers"]:
        classes.remove(Teacher)  # with no fixed count it would take a share of the parents' places
    config_photos.extend(photo(n) for n in range(max(1, config["photos"])))
    for cls in (Parent, Teacher, Director):
        cls.host = host

    env = Environment(user_classes=classes, events=None)
    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    users = sum(config["counts"].values())
    started = time.time()
    # Teachers and the director are spawned first (fixed_count); the parents then arrive over the window.
    runner.start(users, spawn_rate=users / config["seconds"])
    finished.wait(timeout=config["seconds"] + config["grace"])
    runner.quit()
    print(
        json.dumps(
            {
                "records": records,
                "published": published,
                "started": started,
                "ended": time.time(),
                "done": done,
                "counts": config["counts"],
            }
        )
    )


if __name__ == "__main__":
    main()
