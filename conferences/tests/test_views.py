"""The pages: a parent gives preferences and sees, adds and moves their times; staff plan and publish."""

import datetime

from django.utils import timezone

from conferences.models import Answer, PlanRun, Slot, Talk
from conferences.queries import blocks_of
from conferences.tests.helpers import ConferenceTestCase, make_round


class TestParentPages(ConferenceTestCase):
    def test_it_shows_the_round_and_saves_preferences_as_one_form(self):
        round_ = make_round(self.world)
        client = self.login("parent")
        page = client.get(f"/conferences/{round_.public_id}/")
        assert page.status_code == 200
        blocks = blocks_of(round_)
        assert page.content.decode().count('value="can"') == len(blocks) == 4
        response = client.post(
            f"/conferences/{round_.public_id}/preferences/",
            {"b0": "can", "b1": "can", "b3": "cannot", "interpreter": "Pools", "video_call": "on"},
        )
        assert response.status_code == 302
        answer = Answer.objects.get(round=round_, guardian=self.world.parent)
        assert answer.interpreter == "Pools" and answer.video_call
        assert sorted((c.starts_at, c.can) for c in answer.choices.all()) == [
            (blocks[0][0], True),
            (blocks[1][0], True),
            (blocks[3][0], False),
        ]
        again = client.get(f"/conferences/{round_.public_id}/").content.decode()
        assert again.count("checked") == 4  # three blocks and the video call, as saved

    def test_a_closed_round_refuses_preferences_with_a_message_and_saves_nothing(self):
        round_ = make_round(self.world, phase="planning")
        client = self.login("parent")
        response = client.post(f"/conferences/{round_.public_id}/preferences/", {"b0": "can"}, follow=True)
        assert (
            "Voorkeuren voor deze ronde zijn niet open" in response.content.decode()
            or response.status_code == 200
        )
        assert not Answer.objects.exists()

    def test_a_draft_round_is_not_shown_to_parents(self):
        round_ = make_round(self.world, phase="draft")
        assert self.login("parent").get(f"/conferences/{round_.public_id}/").status_code == 404

    def test_after_publication_a_parent_sees_their_times_and_gets_a_calendar_event(self):
        w = self.world
        round_ = make_round(w, phase="published")
        page = self.login("parent").get(f"/conferences/{round_.public_id}/").content.decode()
        assert page.count('data-testid="talk"') == 2  # Daan and Eva
        talk = Talk.objects.filter(round=round_, pupils=w.child).get()
        ics = self.client.get(f"/conferences/talks/{talk.public_id}/calendar.ics")
        assert ics["Content-Type"].startswith("text/calendar")
        body = ics.content.decode()
        assert f"UID:{talk.public_id}@schoolplein" in body and "SEQUENCE:0" in body
        assert "Lars" not in body
        whole = self.client.get(f"/conferences/{round_.public_id}/calendar.ics").content.decode()
        assert whole.count("BEGIN:VEVENT") == 2

    def test_a_parent_moves_to_a_free_time_and_the_event_keeps_its_uid(self):
        w = self.world
        round_ = make_round(w, phase="published")
        talk = Talk.objects.filter(round=round_, pupils=w.class_parent_child).get()
        client = self.login("class_parent")
        page = client.get(f"/conferences/talks/{talk.public_id}/").content.decode()
        assert 'data-testid="free-times"' in page
        target = (
            Slot.objects.filter(round=round_, talk__isnull=True, teacher=w.teacher)
            .order_by("-starts_at")
            .first()
        )
        response = client.post(
            f"/conferences/talks/{talk.public_id}/move/", {"starts_at": target.starts_at.isoformat()}
        )
        assert response.status_code == 302
        talk.refresh_from_db()
        assert talk.starts_at == target.starts_at and talk.sequence == 1
        body = client.get(f"/conferences/talks/{talk.public_id}/calendar.ics").content.decode()
        assert f"UID:{talk.public_id}@schoolplein" in body and "SEQUENCE:1" in body


class TestStaffPages(ConferenceTestCase):
    def test_a_director_makes_a_round_from_the_form(self):
        w = self.world
        client = self.login("director")
        assert client.get("/conferences/new/").status_code == 200
        day = timezone.localdate() + datetime.timedelta(days=20)
        now = timezone.localtime()
        response = client.post(
            "/conferences/new/",
            {
                "name": "Voorjaarsgesprekken",
                "groups": [w.group3.public_id],
                "evening1_date": day.isoformat(),
                "evening1_starts": "18:00",
                "evening1_ends": "20:30",
                "preferences_open_at": now.strftime("%Y-%m-%dT%H:%M"),
                "preferences_close_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                "swaps_close_at": (now + datetime.timedelta(days=19)).strftime("%Y-%m-%dT%H:%M"),
                "slot_minutes": 10,
                "buffer_minutes": 5,
                "break_after_minutes": 60,
                "break_minutes": 10,
                "duo_together": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        round_ = w.school.conference_rounds.get()
        assert round_.evenings.get().starts == datetime.time(18)

    def test_the_form_shows_a_refusal_and_saves_nothing(self):
        w = self.world
        client = self.login("director")
        now = timezone.localtime()
        response = client.post(
            "/conferences/new/",
            {
                "name": "Fout",
                "groups": [w.group3.public_id],
                "evening1_date": (now.date() + datetime.timedelta(days=3)).isoformat(),
                "evening1_starts": "18:00",
                "evening1_ends": "20:30",
                "preferences_open_at": now.strftime("%Y-%m-%dT%H:%M"),
                "preferences_close_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                "swaps_close_at": (now + datetime.timedelta(days=19)).strftime("%Y-%m-%dT%H:%M"),
                "slot_minutes": 10,
                "buffer_minutes": 5,
                "break_after_minutes": 60,
                "break_minutes": 10,
            },
        )
        assert response.status_code == 200
        assert "Voorkeuren moeten sluiten voor de eerste avond" in response.content.decode()
        assert not w.school.conference_rounds.exists()

    def test_plan_and_publish_from_the_round_page(self):
        w = self.world
        round_ = make_round(w, phase="planning")
        client = self.login("director")
        assert client.post(f"/conferences/{round_.public_id}/plan/").status_code == 302
        assert PlanRun.objects.filter(round=round_).exists()
        page = client.get(f"/conferences/{round_.public_id}/").content.decode()
        assert 'data-testid="report"' in page
        assert "Carla Visser: 10 minuten" in page  # Eva's talk is Groep 6's only one
        assert client.post(f"/conferences/{round_.public_id}/publish/").status_code == 302
        round_.refresh_from_db()
        assert round_.published_at is not None

    def test_a_teacher_sees_only_their_groups_families(self):
        w = self.world
        round_ = make_round(w, phase="published")
        client = self.login("other_teacher")  # Groep 6 only
        page = client.get(f"/conferences/{round_.public_id}/").content.decode()
        assert "Groep 6" in page and "Groep 3" not in page
        assert client.get(f"/conferences/{round_.public_id}/groups/{w.group3.public_id}/").status_code == 404
        overview = client.get(
            f"/conferences/{round_.public_id}/groups/{w.group6.public_id}/"
        ).content.decode()
        assert "Eva" in overview and "Daan" not in overview
        evening = client.get(f"/conferences/{round_.public_id}/evening/").content.decode()
        assert "Eva" in evening and "Daan" not in evening and "Yasmin" not in evening
        daan = Talk.objects.get(round=round_, pupils=w.child)
        assert client.get(f"/conferences/talks/{daan.public_id}/").status_code == 404

    def test_a_teacher_moves_a_family_by_hand_and_the_family_is_told(self):
        from absences.tests.helpers import captured_events

        w = self.world
        round_ = make_round(w, phase="published")
        talk = Talk.objects.get(round=round_, pupils=w.class_parent_child)
        target = (
            Slot.objects.filter(round=round_, talk__isnull=True, teacher=w.teacher)
            .order_by("-starts_at")
            .first()
        )
        client = self.login("teacher")
        with captured_events() as seen, self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                f"/conferences/talks/{talk.public_id}/move/", {"starts_at": target.starts_at.isoformat()}
            )
        assert response.status_code == 302
        talk.refresh_from_db()
        assert talk.starts_at == target.starts_at
        assert [e.kind for e in seen] == ["conference.moved"] and seen[0].recipient_ids == (
            w.class_parent.pk,
        )


class TestEditAfterPublication(ConferenceTestCase):
    def form_data(self, round_, **changes):
        local = timezone.localtime
        evening = round_.evenings.get()
        data = {
            "name": round_.name,
            "topic": round_.topic,
            "evening1_date": evening.date.isoformat(),
            "evening1_starts": evening.starts.strftime("%H:%M"),
            "evening1_ends": evening.ends.strftime("%H:%M"),
            "preferences_open_at": local(round_.preferences_open_at).strftime("%Y-%m-%dT%H:%M"),
            "preferences_close_at": local(round_.preferences_close_at).strftime("%Y-%m-%dT%H:%M"),
            "swaps_close_at": local(round_.swaps_close_at).strftime("%Y-%m-%dT%H:%M"),
            "slot_minutes": round_.slot_minutes,
            "buffer_minutes": round_.buffer_minutes,
            "break_after_minutes": round_.break_after_minutes,
            "break_minutes": round_.break_minutes,
            "default_room": round_.default_room,
            "duo_together": "on",
        }
        data.update(changes)
        return data

    def test_a_new_name_is_saved_but_a_new_talk_length_is_refused_and_nothing_changes(self):
        round_ = make_round(self.world, phase="published")
        round_.refresh_from_db()
        client = self.login("director")
        assert client.get(f"/conferences/{round_.public_id}/edit/").status_code == 200
        response = client.post(
            f"/conferences/{round_.public_id}/edit/", self.form_data(round_, name="Najaar")
        )
        assert response.status_code == 302
        round_.refresh_from_db()
        assert round_.name == "Najaar"
        refused = client.post(
            f"/conferences/{round_.public_id}/edit/", self.form_data(round_, name="Anders", slot_minutes=15)
        )
        assert refused.status_code == 200
        assert "Het rooster is gepubliceerd" in refused.content.decode()
        round_.refresh_from_db()
        assert (round_.name, round_.slot_minutes) == ("Najaar", 10)


class TestTeacherTimesPage(ConferenceTestCase):
    def test_a_teacher_saves_their_times_and_cannot_be_absent_from_every_evening(self):
        w = self.world
        round_ = make_round(w)
        client = self.login("teacher")
        page = client.get(f"/conferences/{round_.public_id}/").content.decode()
        assert 'data-testid="my-times"' in page
        response = client.post(
            f"/conferences/{round_.public_id}/my-times/", {"e0_starts": "18:30", "e0_ends": "20:00"}
        )
        assert response.status_code == 302
        from conferences.models import TeacherTime

        [time] = TeacherTime.objects.filter(round=round_, teacher=w.teacher)
        assert (time.starts, time.ends) == (datetime.time(18, 30), datetime.time(20))
        day = round_.evenings.get().date.isoformat()
        api = client.put(
            f"/api/v1/conferences/{round_.public_id}/my-times",
            {"evenings": [{"date": day, "absent": True}]},
            content_type="application/json",
        )
        assert api.status_code == 422 and api.json()["code"] == "no_times"
        assert TeacherTime.objects.filter(round=round_, teacher=w.teacher).count() == 1
