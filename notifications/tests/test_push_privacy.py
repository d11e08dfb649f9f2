"""Processor guarantee: what a notification says outside the app. For every registered kind of event, the
app's own action runs on data full of secrets and names; the real push peer decrypts what arrived and the
real SMTP server parses what was mailed. A push title and an email subject hold no message or post text, no
email address, no file and no person beyond what `PUSH_TITLE_PERSONS` allows for the kind (and, for those who
turned names off, no person at all); an email body holds no message text (only a post's own text, for the
kinds of `TEXT_IN_EMAIL`) and no photo."""

import ast
import datetime
import re
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.viewer import verified
from notifications import rules
from notifications.models import Dispatch
from notifications.rules import NAMELESS_PUSH_TITLES, PUSH_TITLE_PERSONS, registered_kinds
from notifications.sending import TEXT_IN_EMAIL, email_text
from notifications.tests.test_real_events import RealEventsTestCase

SECRET = "Zwemdiploma-geheim"  # in every body, note, reason and answer the actions get
PHOTO_NAME = "daan-mulder-zwemles.jpg"
# The only kinds whose email may carry the item's own text: a post, written for all its readers. A message
# between people never leaves the app (this is the rule itself, not a copy of TEXT_IN_EMAIL to trust).
POST_TEXT_KINDS = {"post.published", "event.reminder"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"https?://\S+")
DEVICES = ("parent", "co_parent", "class_parent", "teacher", "duo_teacher", "director", "office")


def kinds_in_the_code() -> set[str]:
    """Every dotted string given as `kind=` to any call in the apps' code (tests excluded): `Event(kind=…)`
    and the helpers that build events for an app (forms, conferences) alike."""
    kinds = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if {".venv", "tests", "bench", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "kind":
                    continue
                for value in ast.walk(keyword.value):  # `"a.b" if accept else "a.c"` too
                    if isinstance(value, ast.Constant) and re.fullmatch(
                        r"[a-z_]+\.[a-z_]+", str(value.value)
                    ):
                        kinds.add(value.value)
    return kinds


class TestEveryRegisteredKind(RealEventsTestCase):
    """One world for all kinds: each kind's own action runs in turn, and what it sent is checked."""

    def setUp(self):
        super().setUp()
        from notifications.models import Settings

        w = self.world
        for persona in DEVICES:
            self.add_device(getattr(w, persona), persona)
        # The parent turned names in push titles off; the co-parent (same child) left them on.
        Settings.objects.update_or_create(user=w.parent, defaults={"push_names": False})
        self.names_off = {"parent"}

    def test_every_kind_in_the_code_is_registered_and_has_a_case_here(self):
        kinds = set(registered_kinds())
        assert {"post.published", "form.sent", "conference.swap_declined", "export.ready"} <= kinds
        assert kinds_in_the_code() - kinds == set()
        assert {kind for kind in kinds if not hasattr(self, case_name(kind))} == set()
        assert set(PUSH_TITLE_PERSONS) <= kinds and set(NAMELESS_PUSH_TITLES) == set(PUSH_TITLE_PERSONS)
        assert TEXT_IN_EMAIL <= POST_TEXT_KINDS

    def test_an_unregistered_kind_is_refused(self):
        from core.events import Event
        from notifications.actions import receive_event

        with self.assertRaises(LookupError):
            receive_event(Event(kind="post.gossip", actor_id=None, school_id=None, recipient_ids=(1,)))

    def test_no_push_or_email_of_any_kind_says_more_than_the_rules_allow(self):
        # Every kind by email too, so the email of each is checked (not only of those mailed by default).
        everything = {kind: {"push": True, "email": True, "digest": False} for kind in registered_kinds()}
        with mock.patch.dict(rules.DEFAULTS, everything):
            for kind in registered_kinds():
                with self.subTest(kind=kind):
                    self.check_kind(kind)

    # --- Sending and checking -------------------------------------------------------------------------

    def check_kind(self, kind: str) -> None:
        action = getattr(self, case_name(kind))()
        self.push.received.clear()
        self.inbox.messages.clear()
        seen = set(Dispatch.objects.values_list("id", flat=True))
        with self.committed():
            action()
        dispatches = list(Dispatch.objects.exclude(id__in=seen))
        assert {d.kind for d in dispatches} >= {kind}, (kind, [d.kind for d in dispatches])
        assert self.push.received, f"{kind}: nothing was pushed"
        assert self.inbox.messages, f"{kind}: nothing was mailed"
        for persona, payload in self.push.received:
            self.check_push(kind, persona, payload, [d for d in dispatches if d.kind == kind])
        texts = [email_text(d) for d in dispatches if d.kind in POST_TEXT_KINDS]
        for message in self.inbox.messages:
            self.check_email(kind, message, [t for t in texts if t])

    def allowed_persons(self, kind: str) -> set[str]:
        """The names a title of this kind may carry (PUSH_TITLE_PERSONS), as this test's cases cause them."""
        w = self.world
        if kind == "message.created":
            return {w.teacher.full_name, w.teacher.first_name, w.teacher.last_name}
        if kind in ("absence.changed", "absence.decided"):
            return {w.child.first_name}
        if kind.startswith(("post.", "event.")):
            return set()  # a post's title may name a child; these cases' titles name nobody
        assert kind not in PUSH_TITLE_PERSONS, f"{kind}: say here whose name its title may carry"
        return set()

    def people(self):
        return [p for p in self.world.people.values() if hasattr(p, "first_name") and hasattr(p, "last_name")]

    def assert_names_only(self, kind: str, text: str, allowed: set[str], where: str) -> None:
        for person in self.people():
            for name in (person.full_name, person.last_name, person.first_name):
                if name and name not in allowed:
                    assert not re.search(rf"\b{re.escape(name)}\b", text), (kind, where, name, text)

    def assert_nothing_private(self, kind: str, text: str, where: str) -> None:
        assert SECRET not in text, (kind, where, text)
        assert not EMAIL.search(text), (kind, where, text)
        assert PHOTO_NAME not in text and "/media/" not in text, (kind, where, text)

    def check_push(self, kind: str, persona: str, payload: dict, dispatches: list) -> None:
        # No image, no body: the title, where it leads, and the title's language and direction.
        assert set(payload) == {"title", "url", "urgent", "lang", "dir"}, (kind, payload)
        assert payload["dir"] in ("auto", "rtl") and len(payload["lang"]) <= 12, (kind, payload)
        self.assert_nothing_private(kind, str(payload), "push")
        names_on = persona not in self.names_off
        allowed = self.allowed_persons(kind) if names_on else set()
        self.assert_names_only(kind, payload["title"], allowed, f"push title to {persona}")
        if not names_on and kind in NAMELESS_PUSH_TITLES and not payload["urgent"]:
            with translation.override(getattr(self.world, persona).language):
                nameless = {gettext(NAMELESS_PUSH_TITLES[kind]) % d.title_params for d in dispatches}
            assert payload["title"] in nameless, (kind, payload, nameless)
            assert "Gymles" not in payload["title"] and "Traktatierooster" not in payload["title"]

    def check_email(self, kind: str, message, post_texts: list[str]) -> None:
        recipient = next(p for p in self.people() if getattr(p, "email", None) == message["To"])
        allowed = self.allowed_persons(kind)
        self.assert_nothing_private(kind, message["Subject"], "email subject")
        self.assert_names_only(kind, message["Subject"], allowed, "email subject")
        assert not list(message.iter_attachments()), (kind, "an email carries no file")
        for part in ("plain", "html"):
            body = message.get_body((part,)).get_content().replace("\r\n", "\n")
            assert "<img" not in body, (kind, body)
            for text in post_texts:  # a post's own text may go by email (TEXT_IN_EMAIL); nothing else
                body = body.replace(text, "").replace(text.replace("\n", "<br>"), "")
            body = URL.sub("", body)
            self.assert_nothing_private(kind, body, f"email body ({part})")
            self.assert_names_only(kind, body, allowed | {recipient.first_name}, f"email body ({part})")

    # --- One case per kind: set-up now, then the action that publishes -------------------------------

    def post(self, **draft):
        from posts.actions import Draft, check_publish_post

        draft.setdefault("title", "Gymles")
        draft.setdefault(
            "body", f"<p>{SECRET}: Daan Mulder en Yasmin El Amrani nemen hun zwemspullen mee.</p>"
        )
        author = draft.pop("author", self.world.teacher)
        groups = draft.pop("groups", [self.world.group3])
        return check_publish_post(acting_user=verified(author), groups=groups, draft=Draft(**draft))

    def case_post_published(self):
        w = self.world

        def both():
            self.post()
            self.post(author=w.director, groups=[w.wide], urgent=True, title="School dicht")

        return both

    def case_post_awaiting_approval(self):
        w = self.world
        return lambda: self.post(author=w.class_parent, title="Traktatierooster")

    def case_post_rejected(self):
        from posts.actions import check_reject_post

        w = self.world
        post = self.post(author=w.class_parent, title="Traktatierooster")
        reason = f"{SECRET}: zonder de naam van Daan Mulder graag."
        return lambda: check_reject_post(acting_user=verified(w.director), post=post, reason=reason)

    def case_event_reminder(self):
        from posts.actions import do_send_event_reminders
        from posts.models import Post

        post = self.post(title="Schoolreisje")
        soon = timezone.now() + datetime.timedelta(days=1)
        Post.objects.filter(id=post.id).update(kind=Post.Kind.EVENT, starts_at=soon, respond_by=soon)
        return lambda: do_send_event_reminders(post_id=post.id)

    def case_message_created(self):
        from conversations.actions import check_start_with_guardians

        w = self.world
        return lambda: check_start_with_guardians(
            acting_user=verified(w.teacher),
            pupil=w.child,
            guardians=[w.parent, w.co_parent],
            subject=f"Daan Mulder {SECRET}",
            body=f"{SECRET}: Daan Mulder had hoofdpijn, Sanne.",
        )

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
            reason=f"{SECRET}: bruiloft van Daan Mulders tante",
        )

    def case_absence_decided(self):
        from absences.actions import check_decide_leave

        leave = self.leave()
        return lambda: check_decide_leave(
            acting_user=verified(self.world.director),
            leave=leave,
            grant=False,
            reason=f"{SECRET} Daan Mulder",
        )

    def case_absence_changed(self):
        from absences.actions import check_withdraw_leave

        leave = self.leave()
        return lambda: check_withdraw_leave(acting_user=self.world.parent, leave=leave)

    def case_consent_requested(self):
        from consent.actions import check_send_request

        return lambda: check_send_request(
            acting_user=self.world.director, school=self.world.school, reason="year"
        )

    def case_consent_withheld(self):
        from consent.actions import check_tag, do_ensure_default_purposes
        from media.models import MediaFile

        w = self.world
        do_ensure_default_purposes(school=w.school)
        photo = MediaFile.objects.create(
            school=w.school,
            uploaded_by=w.teacher,
            kind=MediaFile.Kind.PHOTO,
            status=MediaFile.Status.READY,
            ready_at=timezone.now(),
            original_name=PHOTO_NAME,
            carrier_type=ContentType.objects.get_for_model(w.group3),
            carrier_id=w.group3.id,
        )
        return lambda: check_tag(acting_user=w.teacher, media=photo, pupil=w.child)

    def report(self, post):
        from moderation.actions import check_report
        from moderation.registry import reportable

        text = f"{SECRET}: hier staat Daan Mulder op"
        return check_report(
            acting_user=self.world.parent, entry=reportable("post"), item=post, reason="privacy", text=text
        )

    def case_report_created(self):
        post = self.post()
        return lambda: self.report(post)

    def case_report_resolved(self):
        from moderation.actions import check_resolve_report

        report = self.report(self.post())
        return lambda: check_resolve_report(
            acting_user=verified(self.world.director), report=report, outcome="dismissed", note=SECRET
        )

    def case_export_ready(self):
        from privacy.exports import check_request_export

        w = self.world
        return lambda: check_request_export(acting_user=w.parent, subject_user=w.parent)

    def form(self):
        from forms.actions import QuestionDraft, check_create_form

        w = self.world
        return check_create_form(
            acting_user=verified(w.teacher),
            groups=[w.group3],
            kind="permission",
            title="Excursie naar Blijdorp",
            description=f"{SECRET}: Daan Mulder mag niet in het water.",
            guardians="one",
            closes_at=timezone.now() + datetime.timedelta(days=3),
            questions=[QuestionDraft(kind="text", text="Allergieën?", required=True)],
        )

    def case_form_sent(self):
        return self.form

    def case_form_reminder(self):
        from forms.actions import do_send_form_reminders

        form = self.form()
        return lambda: do_send_form_reminders(now=form.closes_at - datetime.timedelta(hours=12))

    # Conferences: one round of Groep 3 published before its cases, one of Groep 6 published by its own.
    def published_round(self):
        from conferences.models import Talk
        from conferences.tests.helpers import make_round

        if not hasattr(self, "_round"):
            w = self.world
            self._round = make_round(
                w, phase="published", groups=[w.group3], name="Gespreksronde najaar", default_room="Aula"
            )
            self._daan = Talk.objects.get(round=self._round, pupils=w.child)
            self._yasmin = Talk.objects.get(round=self._round, pupils=w.class_parent_child)
        return self._round

    def case_conference_published(self):
        from conferences.actions import check_publish
        from conferences.tests.helpers import make_round

        w = self.world
        verified(w.director)
        round_ = make_round(w, phase="planned", groups=[w.group6], name="Gespreksronde Groep 6")
        return lambda: check_publish(acting_user=w.director, round_=round_)

    def case_conference_changed(self):
        from conferences.actions import check_update_round

        round_ = self.published_round()
        return lambda: check_update_round(
            acting_user=self.world.director, round_=round_, default_room="Speellokaal"
        )

    def case_conference_moved(self):
        from conferences.models import Slot
        from conferences.moves import check_move_by_hand

        round_ = self.published_round()
        free = Slot.objects.filter(round=round_, teacher=self.world.teacher, talk__isnull=True)
        target = free.order_by("-starts_at").first().starts_at
        teacher = verified(self.world.teacher)
        return lambda: check_move_by_hand(acting_user=teacher, talk=self._daan, starts_at=target)

    def ask_swap(self):
        """Yasmin's family asks Daan's to trade times (or has asked already, and is waiting)."""
        from conferences.models import SwapRequest
        from conferences.moves import check_ask_swap

        self.published_round()
        self._daan.refresh_from_db()
        self._yasmin.refresh_from_db()
        waiting = SwapRequest.objects.filter(
            talk=self._yasmin, other=self._daan, status=SwapRequest.Status.PENDING
        ).first()
        return waiting or check_ask_swap(
            acting_user=self.world.class_parent, talk=self._yasmin, other=self._daan
        )

    def case_conference_swap_asked(self):
        return self.ask_swap

    def case_conference_swapped(self):
        from conferences.moves import check_answer_swap

        swap = self.ask_swap()
        return lambda: check_answer_swap(acting_user=self.world.parent, swap=swap, accept=True)

    def case_conference_swap_declined(self):
        from conferences.moves import check_answer_swap

        swap = self.ask_swap()
        return lambda: check_answer_swap(acting_user=self.world.parent, swap=swap, accept=False)

    def case_conference_reminder(self):
        from conferences.models import Talk
        from conferences.moves import do_send_reminders

        round_ = self.published_round()
        first = Talk.objects.filter(round=round_).order_by("starts_at").first()
        return lambda: do_send_reminders(now=first.starts_at - datetime.timedelta(days=1))


def case_name(kind: str) -> str:
    return "case_" + kind.replace(".", "_")


class TestNamesTurnedOff(RealEventsTestCase):
    """The choice itself: a parent turns names off on the page or through the API, and it sticks."""

    def test_a_leave_decision_names_no_child_for_this_parent_only(self):
        from absences.actions import check_decide_leave, check_request_leave
        from notifications.models import Settings

        w = self.world
        self.add_device(w.parent, "parent")
        self.add_device(w.co_parent, "co_parent")
        Settings.objects.update_or_create(user=w.parent, defaults={"push_names": False})
        start = timezone.localdate() + datetime.timedelta(days=21)
        while start.weekday() >= 5:
            start += datetime.timedelta(days=1)
        leave = check_request_leave(
            acting_user=w.parent,
            pupil=w.child,
            kind="extraordinary",
            starts_on=start,
            ends_on=start,
            reason="x",
        )
        with self.committed():
            check_decide_leave(acting_user=verified(w.director), leave=leave, grant=True, reason="Akkoord")
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
