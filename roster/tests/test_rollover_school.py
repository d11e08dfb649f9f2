"""The rollover seen from outside: parents reading last year's timeline and album, an EDEXML of the new year,
and a rollover of the demo school."""

import datetime

from django.test import TestCase

from core.clock import SCHOOL_TZ
from core.refusals import Invalid
from core.testing import make_child, make_user
from demo.seed import seed_demo
from media.models import MediaFile
from media.tests.helpers import MediaTestCase
from moderation.testing import accept_all_rules
from posts.models import Post
from posts.tests.helpers import PostsTestCase
from roster.models import Placement, RosterImport
from roster.rollover import check_apply_rollover, check_open_next_year, placements_of
from roster.tests.clock import moving_clock, start_in_june
from roster.tests.edexml import P, edexml
from roster.tests.helpers import run_import
from roster.tests.test_rollover import RolloverCase
from schools.models import Enrolment, Group, School, StaffRole
from schools.queries import current_enrolments, groups_visible_to


class TestLastYearsTimelineAndAlbum(MediaTestCase, PostsTestCase):
    def setUp(self):
        super().setUp()
        w = self.world
        start_in_june(self)
        self.group8 = Group.objects.create(school=w.school, school_year=w.year, name="Groep 8")
        self.leaver_parent = make_user("finn@example.test", "Ilse", "de Boer")
        make_child(w.school, self.group8, "Finn", "de Boer", self.leaver_parent)
        accept_all_rules()  # as after the new parent's first sign-in
        photo = self.upload("teacher", carrier=w.group3)
        MediaFile.objects.filter(pk=photo.pk).update(carrier_type=None, carrier_id=None)
        self.trip = self.post(title="Schoolreis", media_files=[MediaFile.objects.get(pk=photo.pk)])
        self.farewell = self.post("director", groups=[self.group8], title="Musical groep 8")
        rollover = check_open_next_year(acting_user=w.director, school=w.school, first_day=self.first_day)
        check_apply_rollover(acting_user=w.office, rollover=rollover)

    def pages(self, persona, group, post):
        client = self.client_for(persona) if isinstance(persona, str) else self.client_for_user(persona)
        return (
            client.get(f"/posts/{post.public_id}/").status_code,
            client.get(f"/groups/{group.public_id}/album/").status_code,
        )

    def client_for_user(self, user):
        from django.test import Client

        from core.testing import sign_in

        return sign_in(Client(), user)

    def test_a_parent_whose_child_moved_up_reads_last_years_class_within_the_period_then_gets_404(self):
        w = self.world
        self.clock.day = self.first_day + datetime.timedelta(days=80)
        self.assertEqual(self.pages("parent", w.group3, self.trip), (200, 200))
        album = self.client_for("parent").get(f"/groups/{w.group3.public_id}/album/")
        self.assertEqual(len(album.context["photos"]), 1)
        self.assertEqual(self.pages(self.leaver_parent, self.group8, self.farewell), (200, 200))
        feed = self.client_for("parent").get("/posts/")
        self.assertIn("Schoolreis", [post.title for post in feed.context["feed"].posts])

        self.clock.day = self.first_day + datetime.timedelta(days=100)
        self.assertEqual(self.pages("parent", w.group3, self.trip), (404, 404))
        self.assertEqual(self.pages(self.leaver_parent, self.group8, self.farewell), (404, 404))
        self.assertEqual(self.pages("other_school_parent", w.group3, self.trip), (404, 404))


class TestNewYearsEdexml(RolloverCase):
    def test_an_import_of_the_new_year_replaces_the_proposal(self):
        w = self.world
        rollover = self.open()
        w.child.external_key, w.sibling.external_key = "L1", "L2"
        w.child.save(), w.sibling.save()
        year = rollover.to_year.name
        content = edexml(
            year=year,
            groups=[("G4", "Groep 4", "4"), ("G7", "Groep 7", "7")],
            pupils=[P("L1", "Daan", "Mulder", "G7", grade="7"), P("L2", "Eva", "Mulder", "G7", grade="7")],
        )
        done = run_import(w.office, w.school, content)
        self.assertEqual(done.status, RosterImport.Status.APPLIED, done.error or done.plan)
        rollover.refresh_from_db()
        self.assertEqual(rollover.replaced_by, done)
        placed = Enrolment.objects.get(pupil=w.child, school_year=rollover.to_year)
        self.assertEqual((placed.group.name, placed.grade), ("Groep 7", 7))
        self.assertEqual(Group.objects.get(school_year=rollover.to_year, name="Groep 4").external_key, "G4")
        with self.assertRaises(Invalid) as refused:
            check_apply_rollover(acting_user=w.office, rollover=rollover)
        self.assertEqual(refused.exception.code, "replaced")
        # This year's classes are untouched: the file was for the next one.
        self.assertEqual(Enrolment.objects.get(pupil=w.child, school_year=w.year).group, w.group3)


DEMO_DAY = datetime.date(2026, 11, 20)


class TestDemoSchoolRollover(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo(today=DEMO_DAY, with_content=False)
        cls.schakel = School.objects.get(name="De Schakel")

    def test_a_rollover_of_the_demo_school(self):
        school = self.schakel
        director = StaffRole.objects.get(school=school, role="director").user
        with moving_clock(datetime.date(2027, 6, 20)) as clock:
            now = {
                e.pupil_id: e
                for e in current_enrolments().filter(group__school=school).select_related("group")
            }
            rollover = check_open_next_year(acting_user=director, school=school)
            first_day = rollover.to_year.starts_on
            self.assertEqual((rollover.to_year.name, first_day.weekday()), ("2027-2028", 0))
            placements = list(placements_of(rollover))
            self.assertEqual({p.pupil_id for p in placements}, set(now))
            self.assertFalse([p for p in placements if p.needs_check])  # the demo records every grade
            for placement in placements:
                before = now[placement.pupil_id]
                if before.grade == 8:
                    self.assertIsNone(placement.group)
                    continue
                self.assertEqual(placement.grade, before.grade + 1)
                self.assertIn(str(placement.grade), placement.group.name)
                if before.group.name in ("Groep 1/2a", "Groep 1/2b", "Groep 5/6") and before.grade in (1, 5):
                    self.assertEqual(placement.group.name, before.group.name)  # stays in the combination
            leavers = sum(1 for e in now.values() if e.grade == 8)
            self.assertEqual(leavers, 26)
            counts = check_apply_rollover(acting_user=director, rollover=rollover)
            self.assertEqual(counts, {"placed": len(now) - leavers, "moved": 0, "left": leavers})

            clock.day = first_day
            after = current_enrolments().filter(group__school=school)
            self.assertEqual(after.count(), len(now) - leavers)
            self.assertTrue(all(e.school_year_id == rollover.to_year_id for e in after))
            moved_up = Placement.objects.filter(rollover=rollover, group__name="Groep 4").first().pupil
            parent = moved_up.guardianships.first().guardian
            visible = set(groups_visible_to(parent).values_list("school_year__name", "name"))
            self.assertIn(("2027-2028", "Groep 4"), visible)
            self.assertIn(("2026-2027", "Groep 3"), visible)  # last year's class, to read for three months
            # The other school of the board is not touched.
            regenboog = School.objects.get(name="De Regenboog")
            self.assertEqual(
                current_enrolments().filter(group__school=regenboog).first().school_year.name, "2026-2027"
            )


class TestGradesFromTheFile(RolloverCase):
    def test_an_import_records_each_pupils_jaargroep_and_later_changes_of_it(self):
        w = self.world
        content = edexml(
            year=w.year.name,
            groups=[("G3", "Groep 3", "3"), ("G34", "Groep 3/4", "C")],
            pupils=[
                P("L1", "Nora", "Bakker", "G34", grade="4"),
                P("L2", "Mees", "de Vries", "G3", grade="3"),
            ],
        )
        run_import(w.office, w.school, content)
        self.assertEqual(Enrolment.objects.get(pupil__first_name="Nora", school_year=w.year).grade, 4)
        again = run_import(
            w.office, w.school, content.replace(b"<jaargroep>4</jaargroep>", b"<jaargroep>3</jaargroep>")
        )
        self.assertEqual([c["kind"] for c in again.plan["changes"]], ["pupil.grade"])
        self.assertEqual(Enrolment.objects.get(pupil__first_name="Nora", school_year=w.year).grade, 3)


class TestLastYearIsReadOnly(MediaTestCase, PostsTestCase):
    """From the first day last year's class is read (parents a while, staff as an archive), never added to."""

    def setUp(self):
        super().setUp()
        w = self.world
        start_in_june(self)
        accept_all_rules()
        from posts.models import GroupTimelineSettings

        GroupTimelineSettings.objects.create(group=w.group3, comments_enabled=True)
        self.trip = self.post(title="Schoolreis")
        later = datetime.datetime.combine(self.first_day, datetime.time(19), tzinfo=SCHOOL_TZ)
        self.party = self.event(
            title="Afscheidsfeest",
            starts_at=later + datetime.timedelta(days=40),
            respond_by=later + datetime.timedelta(days=30),
        )
        rollover = check_open_next_year(acting_user=w.director, school=w.school, first_day=self.first_day)
        check_apply_rollover(acting_user=w.office, rollover=rollover)

    def test_before_the_first_day_the_class_is_open_as_ever(self):
        response = self.login("parent").post(
            f"/api/v1/posts/{self.trip.public_id}/comments",
            {"body": "Leuk!"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_a_parent_reads_last_years_post_but_cannot_comment_react_or_answer_on_either_face(self):
        self.clock.day = self.first_day + datetime.timedelta(days=10)
        client = self.login("parent")
        page = client.get(f"/posts/{self.trip.public_id}/")
        self.assertContains(page, 'data-testid="read-only"')
        self.assertNotContains(page, f'action="/posts/{self.trip.public_id}/comments/"')
        self.assertNotContains(
            client.get(f"/posts/{self.party.public_id}/"), f"/posts/{self.party.public_id}/rsvp/"
        )
        refused = [
            client.post(
                f"/api/v1/posts/{self.trip.public_id}/comments",
                {"body": "Leuk!"},
                content_type="application/json",
            ),
            client.post(
                f"/api/v1/posts/{self.trip.public_id}/reactions",
                {"kind": "heart"},
                content_type="application/json",
            ),
            client.post(
                f"/api/v1/posts/{self.party.public_id}/rsvp",
                {"answer": "yes", "people": 1},
                content_type="application/json",
            ),
        ]
        self.assertEqual([(r.status_code, r.json()["code"]) for r in refused], [(422, "read_only")] * 3)
        self.assertIn("eerder schooljaar", refused[0].json()["detail"])
        web = client.post(f"/posts/{self.trip.public_id}/comments/", {"body": "Leuk!"})
        self.assertIn(web.status_code, (200, 302, 422))
        from posts.models import Comment, Reaction, Rsvp

        self.assertEqual((Comment.objects.count(), Reaction.objects.count(), Rsvp.objects.count()), (0, 0, 0))
        self.assertTrue(client.get(f"/api/v1/posts/{self.trip.public_id}").json()["read_only"])

    def test_after_the_parents_period_only_staff_read_it_and_nobody_adds_to_it(self):
        w = self.world
        self.clock.day = self.first_day + datetime.timedelta(days=100)
        self.assertEqual(self.login("parent").get(f"/posts/{self.trip.public_id}/").status_code, 404)
        for persona in ("teacher", "director", "office"):
            client = self.login(persona)
            self.assertEqual(client.get(f"/posts/{self.trip.public_id}/").status_code, 200, persona)
            self.assertEqual(client.get(f"/groups/{w.group3.public_id}/album/").status_code, 200, persona)
            group_page = client.get(f"/groups/{w.group3.public_id}/")
            self.assertContains(group_page, 'data-testid="read-only"')
            earlier = client.get("/groups/earlier/")
            self.assertContains(earlier, 'data-testid="earlier-class"')
            self.assertContains(client.get("/more/"), 'data-testid="earlier-classes-link"')
            api = client.get("/api/v1/groups/earlier").json()
            self.assertIn((w.group3.public_id, True), [(g["public_id"], g["read_only"]) for g in api])
            # The daily news stays this year's: last year's class is not among my groups or in my feed.
            self.assertNotIn(
                w.group3.public_id, [g["public_id"] for g in client.get("/api/v1/groups").json()]
            )
            self.assertNotIn("Schoolreis", [p.title for p in client.get("/posts/").context["feed"].posts])
            # ...but its own timeline can be opened from the archive.
            archive = client.get(f"/posts/?group={w.group3.public_id}")
            self.assertIn("Schoolreis", [p.title for p in archive.context["feed"].posts])
        teacher = self.login("teacher")
        posted = teacher.post(
            "/api/v1/posts",
            {"groups": [w.group3.public_id], "title": "Nog eentje"},
            content_type="application/json",
        )
        self.assertIn(posted.status_code, (404, 422))
        pinned = teacher.post(
            f"/api/v1/posts/{self.trip.public_id}/pin", {"pinned": True}, content_type="application/json"
        )
        self.assertIn(pinned.status_code, (404, 422))
        self.assertEqual(Post.objects.filter(title="Nog eentje").count(), 0)
        self.trip.refresh_from_db()
        self.assertIsNone(self.trip.pinned_at)

    def test_the_author_cannot_edit_a_read_only_post(self):
        from posts.actions import Draft, check_edit_post

        self.clock.day = self.first_day + datetime.timedelta(days=1)
        with self.assertRaises(Invalid) as refused:
            check_edit_post(acting_user=self.world.teacher, post=self.trip, draft=Draft(title="Anders"))
        self.assertEqual(refused.exception.code, "read_only")
