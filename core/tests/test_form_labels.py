from core.testing import PersonaTestCase


class TestFormLabels(PersonaTestCase):
    def test_labels_of_django_forms_end_without_a_colon_like_the_rest_of_the_platform(self):
        page = self.login("parent").get("/accounts/password/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Oud wachtwoord</label>")
        self.assertNotContains(page, ":</label>")
