from consent.enforcement import problems_for
from consent.models import FaceBox, PhotoTag, Purpose, Scope
from consent.tests.helpers import ConsentTestCase
from core.testing import make_child
from schools.models import Enrolment, Pupil


class TestProblemsFor(ConsentTestCase):
    def problems(self, media, *groups):
        return [(p.media, p.pupil, p.purpose.scope) for p in problems_for(media_files=[media], groups=groups)]

    def test_it_checks_a_class_group_against_the_class_purpose(self):
        media = self.fake_photo(tagged=["child"])
        self.assertEqual(self.problems(media, self.world.group3), [(media, self.world.child, Scope.CLASS)])
        self.consent_all("child", Scope.CLASS)
        self.assertEqual(self.problems(media, self.world.group3), [])

    def test_it_checks_the_school_wide_group_against_the_school_purpose(self):
        media = self.fake_photo(self.world.wide, tagged=["child"])
        self.consent_all("child", Scope.CLASS)
        self.assertEqual(self.problems(media, self.world.wide), [(media, self.world.child, Scope.SCHOOL)])
        self.consent_all("child", Scope.SCHOOL)
        self.assertEqual(self.problems(media, self.world.wide), [])

    def test_it_needs_every_purpose_the_audiences_imply(self):
        media = self.fake_photo(tagged=["child"])
        self.consent_all("child", Scope.CLASS)
        problems = self.problems(media, self.world.group3, self.world.wide)
        self.assertEqual(problems, [(media, self.world.child, Scope.SCHOOL)])

    def test_it_ignores_purposes_the_audience_does_not_imply(self):
        media = self.fake_photo(tagged=["child"])
        self.consent_all("child", Scope.CLASS)
        self.answer("parent", "child", False, Scope.WEBSITE, Scope.SOCIAL, Scope.NEWSPAPER)
        self.assertEqual(self.problems(media, self.world.group3), [])

    def test_it_lets_no_win_when_guardians_disagree(self):
        media = self.fake_photo(tagged=["child"])
        self.answer("parent", "child", True)
        self.answer("co_parent", "child", False)
        self.assertEqual(len(self.problems(media, self.world.group3)), 1)

    def test_it_follows_the_child_not_the_class_after_a_move(self):
        """Consent belongs to the child: after moving to Groep 4 the answers still count, in either class."""
        self.consent_all("child", Scope.CLASS)
        Enrolment.objects.filter(pupil=self.world.child).update(group=self.world.group4)
        old_class = self.fake_photo(self.world.group3, tagged=["child"])
        new_class = self.fake_photo(self.world.group4, tagged=["child"])
        self.assertEqual(self.problems(old_class, self.world.group3), [])
        self.assertEqual(self.problems(new_class, self.world.group4), [])
        self.answer("co_parent", "child", False)
        self.assertEqual(len(self.problems(new_class, self.world.group4)), 1)

    def test_it_no_longer_counts_a_child_whose_face_is_blurred(self):
        media = self.fake_photo()
        face = FaceBox.objects.create(media=media, left=0.1, top=0.1, width=0.2, height=0.2)
        PhotoTag.objects.create(media=media, pupil=self.world.child, face=face)
        self.assertEqual(len(self.problems(media, self.world.group3)), 1)
        FaceBox.objects.filter(id=face.id).update(blurred_at="2026-01-01T00:00Z")
        self.assertEqual(self.problems(media, self.world.group3), [])

    def test_it_treats_a_removed_purpose_as_no_consent(self):
        media = self.fake_photo(tagged=["child"])
        self.consent_all("child", Scope.CLASS)
        Purpose.objects.filter(current__scope=Scope.CLASS).update(removed_at="2026-01-01T00:00Z")
        problems = problems_for(media_files=[media], groups=[self.world.group3])
        self.assertEqual(len(problems), 1)
        self.assertIsNone(problems[0].purpose.pk)

    def test_it_asks_four_queries_for_50_photos_with_30_children(self):
        pupils = [
            make_child(self.world.school, self.world.group3, f"Kind{i}", "Test", self.world.parent)
            for i in range(29)
        ] + [self.world.child]
        photos = [self.fake_photo() for _ in range(50)]
        PhotoTag.objects.bulk_create(
            [
                PhotoTag(media=photo, pupil=pupils[(i + j) % 30])
                for i, photo in enumerate(photos)
                for j in range(3)
            ]
        )
        self.consent_all("child", Scope.CLASS)
        with self.assertNumQueries(4):
            problems = problems_for(media_files=photos, groups=[self.world.group3, self.world.wide])
        # Everyone has a school-wide problem; only the 29 new children lack class consent too.
        self.assertEqual(
            len(problems), 50 * 3 * 2 - sum(1 for i in range(50) for j in range(3) if (i + j) % 30 == 29)
        )
        self.assertEqual(Pupil.objects.filter(photo_tags__media__in=photos).distinct().count(), 30)
