from django.test import TestCase, override_settings

from core.models import AuditEvent
from demo.personas import PERSONAS, access_persona
from demo.seed import seed_demo
from schools.models import Group
from schools.queries import current_school_years


@override_settings(DEMO_MODE=True)
class TestDemoLoginView(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo()

    def login_as(self, persona: str):
        return self.client.get(f"/demo/login/{persona}/")

    def home_of(self, persona: str):
        response = self.login_as(persona)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        home = self.client.get("/")
        self.assertEqual(home.status_code, 200)
        return home

    def test_it_signs_the_parent_in_with_one_click(self):
        home = self.home_of("parent")
        self.assertEqual(home.context["user"], access_persona("parent"))
        self.assertContains(home, "Sanne")
        more = self.client.get("/more/")  # the children and groups live on the "More" tab
        children = {child.first_name for child in more.context["home"].children}
        self.assertEqual(children, {"Daan", "Lotte"})

    def test_it_signs_the_director_in_two_factor_verified(self):
        home = self.home_of("director")
        self.assertTrue(home.context["user"].is_verified())
        groups = {group.name for group in self.client.get("/more/").context["home"].groups}
        current = set(
            Group.objects.filter(
                school__name="De Schakel", school_year__in=current_school_years()
            ).values_list("name", flat=True)
        )
        self.assertEqual(len(current), 9)
        self.assertTrue(current <= groups, current - groups)

    def test_it_signs_the_teacher_in_with_groep_3(self):
        home = self.home_of("teacher")
        self.assertTrue(home.context["user"].is_verified())
        self.assertIn("Groep 3", {group.name for group in self.client.get("/more/").context["home"].groups})

    def test_it_signs_every_persona_in(self):
        for persona in PERSONAS:
            with self.subTest(persona=persona):
                self.client.logout()
                self.assertEqual(self.home_of(persona).context["user"].email, PERSONAS[persona])

    def test_it_writes_an_audit_row(self):
        self.login_as("classparent")
        event = AuditEvent.objects.get(action="demo.login")
        self.assertEqual(event.actor, access_persona("classparent"))
        self.assertEqual(event.data, {"persona": "classparent"})

    def test_it_switches_a_signed_in_user_to_the_persona(self):
        """The outsider case: someone signed in as another persona becomes the one they clicked."""
        self.home_of("parent")
        home = self.home_of("office")
        self.assertEqual(home.context["user"], access_persona("office"))

    def test_it_answers_404_for_an_unknown_persona(self):
        self.assertEqual(self.login_as("janitor").status_code, 404)
        self.assertFalse(AuditEvent.objects.filter(action="demo.login").exists())

    @override_settings(DEMO_MODE=False)
    def test_it_answers_404_outside_demo_mode(self):
        for persona in PERSONAS:
            self.assertEqual(self.login_as(persona).status_code, 404)
        self.assertEqual(self.client.get("/").status_code, 302)  # still signed out
        self.assertFalse(AuditEvent.objects.filter(action="demo.login").exists())
