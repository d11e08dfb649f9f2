import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from absences.actions import check_report_sick
from absences.models import AbsencePolicy
from absences.tests.helpers import monday_ahead, school_moment
from conferences.tests.helpers import make_round
from consent.actions import check_send_request, do_ensure_default_purposes
from consent.models import Purpose
from conversations.tests.helpers import staff_conversation
from core.testing import make_child
from posts.models import Rsvp
from posts.tests.helpers import PostsTestCase
from schools.models import Group

# The parent's home: session and user (2), the top bar (school names, notification count: 2), children (1),
# what waits (posts 1, consent 6, conferences 1, conversations 1, absences 1), open forms and the absence
# block (3), the feed (8) and its reactions (1), the parent's groups resolved once for all of them (1,
# core.viewer). Fixed however many children, groups and posts there are.
PARENT_HOME_QUERIES = 28


class TestHomeView(PostsTestCase):
    def test_it_shows_a_parent_the_news_of_their_groups(self):
        self.post(title="Luizencontrole", groups=[self.world.group3])
        self.post(persona="other_teacher", title="Gymles", groups=[self.world.group6])
        self.post(persona="director", title="Alleen groep 4", groups=[self.world.group4])
        text = self.login("parent").get("/").content.decode()
        assert "Luizencontrole" in text and "Gymles" in text
        assert "Alleen groep 4" not in text

    def test_it_puts_an_open_invitation_on_top_until_the_family_answers(self):
        event = self.event(title="Kerstviering")
        client = self.login("parent")
        text = client.get("/").content.decode()
        assert 'data-testid="need-rsvp"' in text and text.index("need-rsvp") < text.index('id="feed"')
        response = client.post(
            f"/posts/{event.public_id}/rsvp/", {"answer": "yes", "people": 1}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 302
        assert Rsvp.objects.get(post=event, pupil=self.world.child).answer == "yes"
        assert 'data-testid="need-rsvp"' not in client.get("/").content.decode()
        # The other parent of the same child answers for the family too: nothing waits for them either.
        assert 'data-testid="need-rsvp"' not in self.login("co_parent").get("/").content.decode()

    def test_it_asks_a_parent_for_help_until_they_sign_up_or_the_places_are_taken(self):
        self.help_request(title="Rijders gezocht", places=1)
        assert 'data-testid="need-help"' in self.login("parent").get("/").content.decode()
        assert 'data-testid="need-help"' not in self.login("teacher").get("/").content.decode()

    def test_it_shows_no_waiting_cards_to_staff(self):
        self.event(title="Kerstviering")
        text = self.login("teacher").get("/").content.decode()
        assert "need-rsvp" not in text and "Kerstviering" in text

    def test_it_sends_anonymous_visitors_to_login(self):
        response = self.client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_it_renders_in_a_fixed_number_of_queries_however_many_children_and_posts(self):
        client = self.login("parent")
        client.get("/")  # the first request may refresh the sliding session
        self.post(title="Eerste")
        self.event(title="Kerstviering")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/").status_code == 200
            return len(queries)

        assert count() == PARENT_HOME_QUERIES
        w = self.world
        for n in range(4):
            group = Group.objects.create(school=w.school, school_year=w.year, name=f"Groep 8{n}")
            make_child(w.school, group, f"Kind{n}", "Mulder", w.parent)
            self.post(title=f"Nieuws {n}")
        make_child(w.other_school, w.other_school_group, "Stijn", "Mulder", w.parent)
        self.help_request(title="Rijders gezocht")
        assert count() == PARENT_HOME_QUERIES
        text = client.get("/").content.decode()
        assert "Nieuws 3" in text and "need-help" in text and "De Regenboog" in text


class TestHomeNeedCards(PostsTestCase):
    """Each app's card on the parent's home: there while something waits for them, gone once it is done."""

    def cards(self, persona: str, kind: str) -> int:
        return self.login(persona).get("/").content.decode().count(f'data-testid="need-{kind}"')

    def test_it_asks_for_consent_per_child_until_the_parent_answers(self):
        school = self.world.school
        do_ensure_default_purposes(school=school)
        assert self.cards("parent", "consent") == 0  # nothing asked yet
        check_send_request(acting_user=self.user("director"), school=school, reason="year")
        assert self.cards("parent", "consent") == 2  # Daan and Eva
        purposes = Purpose.objects.filter(school=school, removed_at__isnull=True)
        answers = {f"purpose_{purpose.public_id}": "yes" for purpose in purposes}
        parent = self.client_for("parent")
        for child in (self.world.child, self.world.sibling):
            response = parent.post(f"/privacy/children/{child.public_id}/", answers)
            assert response.status_code == 302
        assert self.cards("parent", "consent") == 0
        assert self.cards("co_parent", "consent") == 1  # Daan's other parent answers for themselves

    def test_it_asks_for_conference_times_until_the_parent_chooses(self):
        round_ = make_round(self.world)
        assert self.cards("parent", "conference") == 1
        assert self.cards("teacher", "conference") == 0
        response = self.client_for("parent").post(
            f"/conferences/{round_.public_id}/preferences/", {"b0": "can"}
        )
        assert response.status_code == 302
        assert self.cards("parent", "conference") == 0

    def test_it_shows_no_conference_card_before_preferences_open(self):
        make_round(self.world, phase="draft")
        assert self.cards("parent", "conference") == 0

    def test_it_points_to_a_new_message_until_the_parent_reads_it(self):
        conversation = staff_conversation(self.world, guardians=[self.world.parent])
        assert self.cards("parent", "messages") == 1
        assert self.cards("class_parent", "messages") == 0
        assert self.client_for("parent").get(f"/messages/{conversation.public_id}/").status_code == 200
        assert self.cards("parent", "messages") == 0

    def test_it_shows_todays_absence_until_it_is_withdrawn(self):
        AbsencePolicy.objects.create(school=self.world.school, sick_reports=AbsencePolicy.SickReports.APP)
        monday = monday_ahead()
        with freeze_time(school_moment(monday, 7)):
            absence = check_report_sick(acting_user=self.world.parent, pupil=self.world.child)
            assert self.cards("parent", "absence") == 1
            assert self.cards("co_parent", "absence") == 1  # the other parent sees the school knows
            assert self.cards("class_parent", "absence") == 0
            response = self.client_for("parent").post(f"/absences/{absence.public_id}/withdraw/")
            assert response.status_code == 302
            assert self.cards("parent", "absence") == 0

    def test_it_shows_an_absence_on_its_day_only(self):
        AbsencePolicy.objects.create(school=self.world.school, sick_reports=AbsencePolicy.SickReports.APP)
        monday = monday_ahead()
        with freeze_time(school_moment(monday, 7)):
            check_report_sick(acting_user=self.world.parent, pupil=self.world.child)
        with freeze_time(school_moment(monday - datetime.timedelta(days=3), 12)):  # the Friday before
            assert self.cards("parent", "absence") == 0
        with freeze_time(school_moment(monday, 12)):
            assert self.cards("parent", "absence") == 1


class TestMoreView(PostsTestCase):
    def test_it_shows_a_parent_their_children_and_groups(self):
        text = self.login("parent").get("/more/").content.decode()
        for expected in ("Daan", "Eva", "Groep 3", "Groep 6", "De Schakel"):
            assert expected in text
        assert "Groep 4" not in text

    def test_it_shows_an_outsider_only_their_own_class(self):
        text = self.login("outsider").get("/more/").content.decode()
        assert "Groep 4" in text
        assert "Groep 3" not in text and "Daan" not in text


class TestOfflinePage(PostsTestCase):
    def test_it_names_nobody_and_needs_no_sign_in(self):
        response = self.client.get("/offline/")
        assert response.status_code == 200
        text = response.content.decode()
        assert "offline" in text and 'lang="en"' in text
