"""Processor guarantee: what a push notification says on a locked phone. For every kind of event the apps
publish, the app's own action runs, the real push peer decrypts what arrived, and the title holds no message
or post text, no email address and no person beyond what `PUSH_TITLE_PERSONS` allows for that kind."""

import ast
import datetime
import re
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.viewer import verified
from notifications.rules import PUSH_TITLE_PERSONS
from notifications.tests.test_real_events import RealEventsTestCase

SECRET = "Zwemdiploma-geheim"  # in every body, note and reason the actions get
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def published_kinds() -> set[str]:
    """Every `Event(kind="...")` in the apps' code (tests excluded)."""
    kinds = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "bench" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Event":
                for keyword in node.keywords:
                    if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                        kinds.add(keyword.value.value)
    return kinds


class PushPrivacyTestCase(RealEventsTestCase):
    def setUp(self):
        super().setUp()
        w = self.world
        for persona in (
            "parent",
            "co_parent",
            "class_parent",
            "teacher",
            "duo_teacher",
            "director",
            "office",
        ):
            self.add_device(getattr(w, persona), persona)

    def pushed(self, kind: str, action) -> list[dict]:
        """Run the action as if it committed; the payloads that arrived, each checked against the rules."""
        self.push.received.clear()
        with self.committed():
            action()
        payloads = [payload for _name, payload in self.push.received]
        assert payloads, f"{kind}: nothing was pushed"
        for payload in payloads:
            self.check(kind, payload)
        return payloads

    def check(self, kind: str, payload: dict) -> None:
        w = self.world
        text = str(payload)
        assert set(payload) == {"title", "url", "urgent"}, payload
        assert SECRET not in text and not EMAIL.search(text), (kind, payload)
        allowed = set()
        if kind == "message.created":
            allowed = {w.teacher.full_name, w.teacher.first_name, w.teacher.last_name}
        elif kind in ("absence.changed", "absence.decided"):
            allowed = {w.child.first_name}
        assert (kind in PUSH_TITLE_PERSONS) == bool(allowed), kind
        people = [p for p in w.people.values() if hasattr(p, "first_name") and hasattr(p, "last_name")]
        for person in people:
            for name in (person.full_name, person.last_name, person.first_name):
                if name not in allowed:
                    assert not re.search(rf"\b{re.escape(name)}\b", payload["title"]), (kind, name, payload)

    def post(self, **draft):
        from posts.actions import Draft, check_publish_post

        draft.setdefault("title", "Gymles")
        draft.setdefault("body", f"<p>{SECRET}: Daan Mulder neemt zijn zwemspullen mee.</p>")
        author = draft.pop("author", self.world.teacher)
        groups = draft.pop("groups", [self.world.group3])
        return check_publish_post(acting_user=verified(author), groups=groups, draft=Draft(**draft))

    def leave(self):
        from absences.actions import check_request_leave

        start = timezone.localdate() + datetime.timedelta(days=21)
        while start.weekday() >= 5:
            start += datetime.timedelta(days=1)
        return check_request_leave(
            acting_user=self.world.parent,
            pupil=self.world.child,
            kind="extraordinary",
            starts_on=start,
            ends_on=start,
            reason=f"{SECRET} bruiloft",
        )


class TestEveryKind(PushPrivacyTestCase):
    def test_post_published(self):
        [payload, *_] = self.pushed("post.published", lambda: self.post())
        assert "Groep 3" in payload["title"]

    def test_an_urgent_post(self):
        self.pushed(
            "post.published",
            lambda: self.post(author=self.world.director, groups=[self.world.wide], urgent=True),
        )

    def test_event_reminder(self):
        from posts.actions import do_send_event_reminders
        from posts.models import Post

        post = self.post(title="Schoolreisje")
        soon = timezone.now() + datetime.timedelta(days=1)
        Post.objects.filter(id=post.id).update(kind=Post.Kind.EVENT, starts_at=soon, respond_by=soon)
        self.pushed("event.reminder", lambda: do_send_event_reminders(post_id=post.id))

    def test_message_created(self):
        from conversations.actions import check_start_with_guardians

        self.pushed(
            "message.created",
            lambda: check_start_with_guardians(
                acting_user=verified(self.world.teacher),
                pupil=self.world.child,
                guardians=[self.world.parent],
                subject=f"Daan Mulder {SECRET}",
                body=f"{SECRET}: Daan had hoofdpijn.",
            ),
        )

    def test_absence_decided(self):
        from absences.actions import check_decide_leave

        leave = self.leave()
        self.pushed(
            "absence.decided",
            lambda: check_decide_leave(
                acting_user=verified(self.world.director), leave=leave, grant=False, reason=SECRET
            ),
        )

    def test_absence_changed(self):
        from absences.actions import check_withdraw_leave

        leave = self.leave()
        self.pushed(
            "absence.changed", lambda: check_withdraw_leave(acting_user=self.world.parent, leave=leave)
        )

    def test_consent_requested(self):
        from consent.actions import check_send_request

        self.pushed(
            "consent.requested",
            lambda: check_send_request(
                acting_user=self.world.director, school=self.world.school, reason="year"
            ),
        )

    def test_consent_withheld(self):
        from consent.actions import check_tag, do_ensure_default_purposes
        from media.models import MediaFile

        do_ensure_default_purposes(school=self.world.school)
        photo = MediaFile.objects.create(
            school=self.world.school,
            uploaded_by=self.world.teacher,
            kind=MediaFile.Kind.PHOTO,
            status=MediaFile.Status.READY,
            ready_at=timezone.now(),
            original_name="daan-mulder.jpg",
            carrier_type=ContentType.objects.get_for_model(self.world.group3),
            carrier_id=self.world.group3.id,
        )
        self.pushed(
            "consent.withheld",
            lambda: check_tag(acting_user=self.world.teacher, media=photo, pupil=self.world.child),
        )

    def report(self):
        from moderation.actions import check_report
        from moderation.registry import reportable

        post = self.post()
        return check_report(
            acting_user=self.world.parent, entry=reportable("post"), item=post, reason="privacy", text=SECRET
        )

    def test_report_created(self):
        self.pushed("report.created", self.report)

    def test_report_resolved(self):
        from moderation.actions import check_resolve_report

        report = self.report()
        self.pushed(
            "report.resolved",
            lambda: check_resolve_report(
                acting_user=verified(self.world.director), report=report, outcome="dismissed", note=SECRET
            ),
        )

    def test_export_ready(self):
        from privacy.exports import check_request_export

        self.pushed(
            "export.ready",
            lambda: check_request_export(acting_user=self.world.parent, subject_user=self.world.parent),
        )

    def test_zz_every_kind_the_apps_publish_is_covered_here(self):
        """Runs last in its class (alphabetical): a kind added to the code without a case here fails."""
        kinds = published_kinds()
        assert "post.published" in kinds and "consent.requested" in kinds
        missing = kinds - {m[len("test_") :].replace("_", ".", 1) for m in dir(self) if m.startswith("test_")}
        assert missing == set(), missing
        assert set(PUSH_TITLE_PERSONS) <= kinds


class TestNamesTurnedOff(PushPrivacyTestCase):
    """A parent who turns names off gets the same news without the person."""

    def setUp(self):
        super().setUp()
        from notifications.models import Settings

        Settings.objects.filter(user=self.world.parent).update(push_names=False)

    def test_a_message_says_only_that_there_is_one(self):
        from conversations.actions import check_start_with_guardians

        [payload] = self.pushed(
            "message.created",
            lambda: check_start_with_guardians(
                acting_user=verified(self.world.teacher),
                pupil=self.world.child,
                guardians=[self.world.parent],
                subject="Vraag",
                body=f"{SECRET}: Daan had hoofdpijn.",
            ),
        )
        with translation.override("nl"):
            assert payload["title"] == gettext("New message")

    def test_a_leave_decision_names_no_child_for_this_parent_only(self):
        from absences.actions import check_decide_leave

        leave = self.leave()
        self.push.received.clear()
        with self.committed():
            check_decide_leave(
                acting_user=verified(self.world.director), leave=leave, grant=True, reason="Akkoord"
            )
        titles = {name: payload["title"] for name, payload in self.push.received}
        assert "Daan" not in titles["parent"] and "Daan" in titles["co_parent"], titles

    def test_the_preferences_page_and_the_api_keep_the_choice(self):
        client = self.login("co_parent")
        page = client.get("/notifications/preferences/")
        assert 'name="push_names"' in page.content.decode()
        api = client.get("/api/v1/notifications/preferences").json()
        assert api["settings"]["push_names"] is True
        settings = {**api["settings"], "push_names": False}
        client.put("/api/v1/notifications/preferences/settings", settings, content_type="application/json")
        del settings["push_names"]  # left out: unchanged
        client.put("/api/v1/notifications/preferences/settings", settings, content_type="application/json")
        assert client.get("/api/v1/notifications/preferences").json()["settings"]["push_names"] is False
