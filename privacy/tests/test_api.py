import json

from accounts.models import User
from core.testing import PersonaTestCase
from privacy.models import DataExport, RetentionPeriod
from privacy.tests.helpers import OTHER_SCHOOL_MESSAGE, busy_family, read_zip, second_school


class TestTheExportApi(PersonaTestCase):
    def setUp(self):
        super().setUp()
        busy_family(self)

    def test_ask_poll_and_download(self):
        client = self.client_for("parent")
        with self.captureOnCommitCallbacks(execute=True):
            asked = client.post("/api/v1/me/exports", content_type="application/json")
        self.assertEqual(asked.status_code, 202)
        export_id = asked.json()["id"]
        polled = client.get(f"/api/v1/me/exports/{export_id}").json()
        self.assertEqual(polled["status"], "ready")
        self.assertEqual(polled["progress_done"], polled["progress_total"])
        download = client.get(f"/api/v1/me/exports/{export_id}/download")
        self.assertEqual(download.status_code, 200)
        data, _index, photos = read_zip(b"".join(download.streaming_content))
        self.assertEqual(data["sections"]["profile"][0]["email"], self.world.parent.email)
        self.assertEqual(len(photos), 1)
        self.assertEqual([item["id"] for item in client.get("/api/v1/me/exports").json()], [export_id])

    def test_a_second_ask_while_the_first_is_on_its_way_joins_it(self):
        client = self.client_for("parent")
        first = client.post("/api/v1/me/exports", content_type="application/json").json()
        second = client.post("/api/v1/me/exports", content_type="application/json").json()
        self.assertEqual(first["id"], second["id"])
        self.assertEqual(second["status"], "queued")
        not_ready = client.get(f"/api/v1/me/exports/{first['id']}/download")
        self.assertEqual((not_ready.status_code, not_ready.json()["code"]), (422, "not_ready"))

    def test_the_director_exports_a_parent_and_downloads_it(self):
        w = self.world
        client = self.client_for("director")
        with self.captureOnCommitCallbacks(execute=True):
            asked = client.post(
                f"/api/v1/schools/{w.school.public_id}/exports",
                {"guardian_id": w.parent.public_id},
                content_type="application/json",
            )
        self.assertEqual(asked.status_code, 202)
        download = client.get(f"/api/v1/me/exports/{asked.json()['id']}/download")
        data, _index, _photos = read_zip(b"".join(download.streaming_content))
        self.assertEqual(data["sections"]["profile"][0]["email"], w.parent.email)
        both = client.post(
            f"/api/v1/schools/{w.school.public_id}/exports",
            {"guardian_id": w.parent.public_id, "pupil_id": w.child.public_id},
            content_type="application/json",
        )
        self.assertEqual(both.status_code, 422)
        self.assertEqual(DataExport.objects.count(), 1)

    def test_the_directors_export_of_a_parent_at_two_schools_holds_one(self):
        w = self.world
        second_school(self)
        client = self.client_for("director")
        with self.captureOnCommitCallbacks(execute=True):
            asked = client.post(
                f"/api/v1/schools/{w.school.public_id}/exports",
                {"guardian_id": w.parent.public_id},
                content_type="application/json",
            )
        download = client.get(f"/api/v1/me/exports/{asked.json()['id']}/download")
        data, index, photos = read_zip(b"".join(download.streaming_content))
        text = json.dumps(data, ensure_ascii=False) + index
        for foreign in ("Noor", "De Regenboog", OTHER_SCHOOL_MESSAGE):
            self.assertFalse(foreign in text, f"{foreign!r} is in the export")
        self.assertEqual({child["first_name"] for child in data["sections"]["children"]}, {"Daan", "Eva"})
        self.assertEqual(len(photos), 1)


class TestTheRetentionApi(PersonaTestCase):
    def test_read_change_and_refuse(self):
        w = self.world
        url = f"/api/v1/schools/{w.school.public_id}/retention"
        table = self.client_for("office").get(url).json()
        self.assertEqual(len(table["periods"]), 9)
        messages = next(p for p in table["periods"] if p["category"] == "messages")
        self.assertEqual((messages["months"], messages["is_default"], messages["due"]), (24, True, 0))
        director = self.client_for("director")
        changed = director.put(url, {"months": {"messages": 36}}, content_type="application/json").json()
        messages = next(p for p in changed["periods"] if p["category"] == "messages")
        self.assertEqual((messages["months"], messages["is_default"]), (36, False))
        refused = director.put(
            url, {"months": {"absences": 1, "nonsense": 3}}, content_type="application/json"
        )
        self.assertEqual(refused.status_code, 422)
        self.assertEqual({p["category"] for p in refused.json()["problems"]}, {"absences", "nonsense"})
        self.assertEqual(RetentionPeriod.objects.get().months, 36)
        office = self.client_for("office").put(
            url, {"months": {"messages": 12}}, content_type="application/json"
        )
        self.assertEqual(office.status_code, 404)


class TestTheErasureApi(PersonaTestCase):
    def test_erase_with_a_reason(self):
        w = self.world
        url = f"/api/v1/schools/{w.school.public_id}/erasures"
        client = self.client_for("director")
        without = client.post(
            url, {"guardian_id": w.outsider.public_id, "reason": ""}, content_type="application/json"
        )
        self.assertEqual(without.status_code, 422)
        done = client.post(
            url,
            {"guardian_id": w.outsider.public_id, "reason": "Op verzoek"},
            content_type="application/json",
        )
        self.assertEqual(done.status_code, 204)
        self.assertFalse(User.objects.filter(id=w.outsider.id).exists())
        again = client.post(
            url,
            {"guardian_id": w.outsider.public_id, "reason": "Op verzoek"},
            content_type="application/json",
        )
        self.assertEqual(again.status_code, 404)
        elsewhere = client.post(
            url,
            {"guardian_id": w.other_school_parent.public_id, "reason": "Op verzoek"},
            content_type="application/json",
        )
        self.assertEqual(elsewhere.status_code, 404)
        self.assertEqual(json.loads(elsewhere.content)["code"], "not_found")
