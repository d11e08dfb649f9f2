"""The API: the same actions and access as the pages, refusals as 422 with a code."""

import datetime

from django.utils import timezone

from conferences.models import Answer, Slot, Talk
from conferences.queries import blocks_of
from conferences.tests.helpers import ConferenceTestCase, make_round


class TestConferencesAPI(ConferenceTestCase):
    def test_a_parent_reads_blocks_and_gives_preferences(self):
        round_ = make_round(self.world)
        client = self.login("parent")
        listing = client.get("/api/v1/conferences").json()
        assert [r["public_id"] for r in listing] == [round_.public_id]
        assert listing[0]["phase"] == "preferences"
        blocks = client.get(f"/api/v1/conferences/{round_.public_id}/preferences").json()["blocks"]
        assert len(blocks) == 4
        response = client.put(
            f"/api/v1/conferences/{round_.public_id}/preferences",
            {"choices": [{"starts_at": blocks[0]["starts_at"], "can": True}], "interpreter": "Turks"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["interpreter"] == "Turks" and len(body["choices"]) == 1

    def test_a_time_outside_the_round_is_a_422_and_nothing_is_saved(self):
        round_ = make_round(self.world)
        first = blocks_of(round_)[0][0]
        response = self.login("parent").put(
            f"/api/v1/conferences/{round_.public_id}/preferences",
            {
                "choices": [
                    {"starts_at": first.isoformat(), "can": True},
                    {"starts_at": (first + datetime.timedelta(minutes=7)).isoformat(), "can": True},
                ]
            },
            content_type="application/json",
        )
        assert response.status_code == 422
        assert response.json()["code"] == "outside_times"
        assert len(response.json()["problems"]) == 1
        assert not Answer.objects.exists()

    def test_staff_make_plan_and_publish_a_round(self):
        w = self.world
        client = self.login("director")
        now = timezone.now()
        day = (timezone.localtime() + datetime.timedelta(days=10)).date()
        response = client.post(
            "/api/v1/conferences",
            {
                "school_id": w.school.public_id,
                "name": "Adviesgesprekken",
                "group_ids": [w.group6.public_id],
                "evenings": [{"date": day.isoformat(), "starts": "15:00", "ends": "17:00"}],
                "preferences_open_at": (now - datetime.timedelta(days=2)).isoformat(),
                "preferences_close_at": (now - datetime.timedelta(days=1)).isoformat(),
                "swaps_close_at": (now + datetime.timedelta(days=9)).isoformat(),
                "slot_minutes": 15,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        round_id = response.json()["public_id"]
        assert response.json()["evenings"] == [
            {"date": day.isoformat(), "starts": "15:00:00", "ends": "17:00:00"}
        ]
        plan = client.post(f"/api/v1/conferences/{round_id}/plan")
        assert plan.status_code == 200, plan.content
        assert plan.json()["report"]["talks_placed"] == 1
        assert client.post(f"/api/v1/conferences/{round_id}/publish").json()["published_at"]
        talks = self.login("parent").get(f"/api/v1/conferences/{round_id}/talks").json()
        assert [t["pupils"][0]["first_name"] for t in talks] == ["Eva"]
        assert talks[0]["ends_at"] and talks[0]["teachers"] == ["Carla Visser"]

    def test_a_swap_phase_move_and_a_taken_slot(self):
        w = self.world
        round_ = make_round(w, phase="published", groups=[w.group3])
        talk = Talk.objects.get(round=round_, pupils=w.class_parent_child)
        client = self.login("class_parent")
        detail = client.get(f"/api/v1/conferences/talks/{talk.public_id}").json()
        assert detail["free_starts"] and detail["swap_ids"]
        target = detail["free_starts"][-1]
        moved = client.post(
            f"/api/v1/conferences/talks/{talk.public_id}/move",
            {"starts_at": target},
            content_type="application/json",
        )
        assert moved.status_code == 200 and moved.json()["sequence"] == 1
        daan = Talk.objects.get(round=round_, pupils=w.child)
        taken = self.login("parent").post(
            f"/api/v1/conferences/talks/{daan.public_id}/move",
            {"starts_at": target},
            content_type="application/json",
        )
        assert taken.status_code == 422 and taken.json()["code"] == "slot_taken"
        assert Slot.objects.filter(talk=daan).count() == 2

    def test_a_swap_through_the_api(self):
        w = self.world
        round_ = make_round(w, phase="published", groups=[w.group3])
        yasmin = Talk.objects.get(round=round_, pupils=w.class_parent_child)
        daan = Talk.objects.get(round=round_, pupils=w.child)
        asked = self.login("class_parent").post(
            f"/api/v1/conferences/talks/{yasmin.public_id}/swaps",
            {"other_id": daan.public_id},
            content_type="application/json",
        )
        assert asked.status_code == 201, asked.content
        answer = self.login("co_parent").post(
            f"/api/v1/conferences/swaps/{asked.json()['public_id']}/answer",
            {"accept": True},
            content_type="application/json",
        )
        assert answer.status_code == 200 and answer.json()["status"] == "accepted"
        assert Talk.objects.get(pk=daan.pk).starts_at == yasmin.starts_at

    def test_a_parent_never_sees_another_familys_talk(self):
        w = self.world
        round_ = make_round(w, phase="published", groups=[w.group3])
        daan = Talk.objects.get(round=round_, pupils=w.child)
        client = self.login("class_parent")
        assert client.get(f"/api/v1/conferences/talks/{daan.public_id}").status_code == 404
        talks = client.get(f"/api/v1/conferences/{round_.public_id}/talks").json()
        assert [t["pupils"][0]["first_name"] for t in talks] == ["Yasmin"]
