from consent import demo_content
from consent.models import Answer, AnswerChange, FaceBox, Request, Scope
from consent.queries import group_overview, withheld_media_of
from consent.tests.helpers import ConsentTestCase
from core.clock import school_today
from core.testing import make_child
from media.models import MediaFile


class TestDemoContent(ConsentTestCase):
    def test_it_seeds_answers_with_refusals_in_every_class_and_photos_showing_the_rules(self):
        for i in range(4):  # enough children in Groep 3 for the photos
            make_child(self.world.school, self.world.group3, f"Kind{i}", "Demo", self.world.class_parent)
        demo_content.seed(school=self.world.school, today=school_today())
        self.assertEqual(Request.objects.filter(school=self.world.school).count(), 1)
        self.assertTrue(Answer.objects.exists())
        self.assertEqual(AnswerChange.objects.filter(old__isnull=True).count(), Answer.objects.count())
        for group in [self.world.group3, self.world.group4, self.world.group6]:
            _purposes, refusals, _count = group_overview(group)
            self.assertTrue(refusals, group.name)
        blurred = FaceBox.objects.filter(blurred_at__isnull=False).select_related("media").get()
        self.assertIsNone(blurred.media.withheld_at)  # shown, with the child blurred
        [withheld] = withheld_media_of(self.world.teacher)
        self.assertTrue(withheld.problems)
        self.assertEqual(MediaFile.objects.filter(status=MediaFile.Status.READY).count(), 2)
        self.assertEqual(Scope.CLASS, withheld.problems[0].purpose.scope)
        # A question that is not about photos, answered like the others and never read as photo consent.
        class_list = Answer.objects.filter(purpose__current__scope=Scope.CLASS_LIST)
        self.assertEqual(
            class_list.count(), Answer.objects.filter(purpose__current__scope=Scope.CLASS).count()
        )
        self.assertTrue(all(refusal.purposes[0].is_photo for refusal in group_overview(self.world.group3)[1]))
