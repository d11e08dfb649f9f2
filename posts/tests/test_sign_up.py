import threading
import unittest

from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import TransactionTestCase

from core.testing import build_world
from posts.actions import Draft, check_publish_post, check_sign_up, check_withdraw
from posts.models import HelpSignup, HelpTask, Post
from posts.tests.helpers import PostsTestCase, in_days, verified


class TestCheckSignUp(PostsTestCase):
    def test_it_takes_a_place_and_withdraws(self):
        task = self.help_request(places=2).tasks.get()
        check_sign_up(acting_user=self.world.parent, task=task)
        task.refresh_from_db()
        self.assertEqual(task.taken, 1)
        check_withdraw(acting_user=self.world.parent, task=task)
        task.refresh_from_db()
        self.assertEqual((task.taken, HelpSignup.objects.count()), (0, 0))

    def test_it_refuses_a_full_task(self):
        task = self.help_request(places=1).tasks.get()
        check_sign_up(acting_user=self.world.parent, task=task)
        with self.assertRaisesMessage(ValidationError, "vol"):
            check_sign_up(acting_user=self.world.class_parent, task=task)
        task.refresh_from_db()
        self.assertEqual(task.taken, 1)

    def test_it_refuses_signing_up_twice(self):
        task = self.help_request(places=3).tasks.get()
        check_sign_up(acting_user=self.world.parent, task=task)
        with self.assertRaises(ValidationError):
            check_sign_up(acting_user=self.world.parent, task=task)
        task.refresh_from_db()
        self.assertEqual(task.taken, 1)

    def test_it_refuses_after_the_deadline(self):
        post = self.help_request(respond_by=in_days(2))
        Post.objects.filter(id=post.id).update(respond_by=in_days(-1))
        task = HelpTask.objects.select_related("post").get(post=post)
        with self.assertRaises(ValidationError):
            check_sign_up(acting_user=self.world.parent, task=task)
        with self.assertRaises(ValidationError):
            check_withdraw(acting_user=self.world.parent, task=task)


@unittest.skipUnless(
    connection.vendor == "postgresql", "needs PostgreSQL: SQLite serialises all writers anyway"
)
class TestSignUpConcurrency(TransactionTestCase):
    """Many parents press "I will help" at the same moment, each on their own connection."""

    def test_it_never_fills_a_task_beyond_its_places(self):
        from schools.models import Guardianship, Pupil

        world = build_world()
        post = check_publish_post(
            acting_user=verified(world.teacher),
            groups=[world.group3],
            draft=Draft(title="Rijders", kind="help", tasks=[("Rijden", 3)]),
        )
        task = post.tasks.get()
        parents = []
        for number in range(12):
            from accounts.models import User

            parent = User.objects.create_user(f"p{number}@example.test", "x", first_name=f"P{number}")
            pupil = Pupil.objects.create(school=world.school, first_name=f"K{number}", last_name="X")
            pupil.enrolments.create(group=world.group3, school_year=world.year)
            Guardianship.objects.create(guardian=parent, pupil=pupil)
            parents.append(parent)
        barrier = threading.Barrier(len(parents))
        outcomes: list[str] = []

        def press(parent):
            try:
                barrier.wait()
                check_sign_up(
                    acting_user=parent, task=HelpTask.objects.select_related("post").get(id=task.id)
                )
                outcomes.append("ok")
            except ValidationError:
                outcomes.append("full")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=press, args=(parent,)) for parent in parents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        task.refresh_from_db()
        self.assertEqual(outcomes.count("ok"), 3)
        self.assertEqual(outcomes.count("full"), 9)
        self.assertEqual((task.taken, task.signups.count()), (3, 3))
