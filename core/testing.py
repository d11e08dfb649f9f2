"""Test personas: one small world with two boards, three schools and everyone the access rules name.

Personas (attributes of `world`):
  director, office            staff of school "De Schakel" (two-factor set up)
  teacher, duo_teacher        teachers of Groep 3; other_teacher teaches Groep 6
  parent                      a child in Groep 3 and one in Groep 6 (siblings)
  class_parent                a child in Groep 3, klassenouder of Groep 3
  outsider                    a parent at the same school, child in Groep 4 only
  other_school_parent         a parent at "De Regenboog", the other school of the same board
  other_board_parent          a parent at a school of another board
  anonymous                   nobody signed in (None)
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.test import Client, TestCase
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from core.clock import school_today, school_year_bounds
from schools.models import (
    Board,
    ClassParent,
    Enrolment,
    Group,
    Guardianship,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
    TeachingAssignment,
)

PASSWORD = "correct horse battery staple"


def make_school(board: Board, name: str, city: str = "Leiden") -> SimpleNamespace:
    school = School.objects.create(board=board, name=name, city=city, phone="071 123 45 67")
    starts, ends = school_year_bounds(school_today())
    year = SchoolYear.objects.create(
        school=school, name=f"{starts.year}-{ends.year}", starts_on=starts, ends_on=ends
    )
    last_year = SchoolYear.objects.create(
        school=school,
        name=f"{starts.year - 1}-{starts.year}",
        starts_on=starts.replace(year=starts.year - 1),
        ends_on=ends.replace(year=ends.year - 1),
    )
    wide = Group.objects.create(school=school, kind=Group.Kind.SCHOOL, name=name)
    return SimpleNamespace(school=school, year=year, last_year=last_year, wide=wide)


def make_user(email: str, first: str, last: str, **extra) -> User:
    return User.objects.create_user(email, PASSWORD, first_name=first, last_name=last, **extra)


def make_staff(school: School, email: str, first: str, last: str, role: str) -> User:
    user = make_user(email, first, last)
    StaffRole.objects.create(user=user, school=school, role=role)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def enrol(pupil: Pupil, group: Group) -> Enrolment:
    return Enrolment.objects.create(pupil=pupil, group=group, school_year=group.school_year)


def make_child(school: School, group: Group, first: str, last: str, *guardians: User) -> Pupil:
    pupil = Pupil.objects.create(school=school, first_name=first, last_name=last)
    enrol(pupil, group)
    for guardian in guardians:
        Guardianship.objects.create(guardian=guardian, pupil=pupil, relation=Guardianship.Relation.PARENT)
    return pupil


@dataclass
class World:
    people: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["people"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def build_world() -> World:
    w = World()
    p = w.people
    board = Board.objects.create(name="Stichting Primair Rijnland")
    other_board = Board.objects.create(name="Stichting Elders")
    schakel = make_school(board, "De Schakel", "Rijnsburg")
    regenboog = make_school(board, "De Regenboog", "Leiden")
    elders = make_school(other_board, "Het Anker", "Katwijk")
    p.update(
        board=board, school=schakel.school, year=schakel.year, last_year=schakel.last_year, wide=schakel.wide
    )
    p.update(other_school=regenboog.school, other_wide=regenboog.wide, other_board_school=elders.school)

    def klas(s, name):
        return Group.objects.create(school=s.school, school_year=s.year, name=name)

    p["group3"], p["group4"], p["group6"] = (
        klas(schakel, "Groep 3"),
        klas(schakel, "Groep 4"),
        klas(schakel, "Groep 6"),
    )
    p["old_group"] = Group.objects.create(
        school=schakel.school, school_year=schakel.last_year, name="Groep 2"
    )
    p["other_school_group"] = klas(regenboog, "Groep 5")
    p["other_board_group"] = klas(elders, "Groep 7")

    p["director"] = make_staff(
        schakel.school, "directie@schakel.test", "Marieke", "de Vries", StaffRole.Role.DIRECTOR
    )
    p["office"] = make_staff(schakel.school, "admin@schakel.test", "Petra", "Bakker", StaffRole.Role.OFFICE)
    p["teacher"] = make_staff(schakel.school, "anna@schakel.test", "Anna", "Jansen", StaffRole.Role.TEACHER)
    p["duo_teacher"] = make_staff(schakel.school, "bram@schakel.test", "Bram", "Smit", StaffRole.Role.TEACHER)
    # A director of the board's other school: an outsider to everything De Schakel's administration runs.
    p["other_director"] = make_staff(
        regenboog.school, "directie@regenboog.test", "Hanneke", "Overvliet", StaffRole.Role.DIRECTOR
    )
    p["other_teacher"] = make_staff(
        schakel.school, "carla@schakel.test", "Carla", "Visser", StaffRole.Role.TEACHER
    )
    for teacher, group in [(w.teacher, w.group3), (w.duo_teacher, w.group3), (w.other_teacher, w.group6)]:
        TeachingAssignment.objects.create(teacher=teacher, group=group)

    p["parent"] = make_user("ouder@example.test", "Sanne", "Mulder")
    p["co_parent"] = make_user("ouder2@example.test", "Joost", "Mulder")
    p["class_parent"] = make_user("klassenouder@example.test", "Fatima", "El Amrani")
    p["outsider"] = make_user("buiten@example.test", "Kees", "Dekker")
    p["other_school_parent"] = make_user("regenboog@example.test", "Lotte", "Hendriks")
    p["other_board_parent"] = make_user("anker@example.test", "Thijs", "Vos")
    p["anonymous"] = None

    p["child"] = make_child(schakel.school, w.group3, "Daan", "Mulder", w.parent, w.co_parent)
    p["sibling"] = make_child(schakel.school, w.group6, "Eva", "Mulder", w.parent)
    p["class_parent_child"] = make_child(schakel.school, w.group3, "Yasmin", "El Amrani", w.class_parent)
    p["outsider_child"] = make_child(schakel.school, w.group4, "Lars", "Dekker", w.outsider)
    p["other_school_child"] = make_child(
        regenboog.school, w.other_school_group, "Noa", "Hendriks", w.other_school_parent
    )
    p["other_board_child"] = make_child(
        elders.school, w.other_board_group, "Sem", "Vos", w.other_board_parent
    )
    ClassParent.objects.create(guardian=w.class_parent, group=w.group3)
    from moderation.testing import accept_all_rules

    accept_all_rules()  # as after everyone's first sign-in, so pages do not stop at the conduct rules
    return w


def sign_in(client: Client, user: User | None) -> Client:
    """Sign a test client in as a persona; staff sessions are two-factor verified like a real login."""
    if user is None:
        client.logout()
        return client
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


class PersonaTestCase(TestCase):
    """Base test case: the persona world is built once per class; each test rolls back its changes."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def client_for(self, persona: str) -> Client:
        return sign_in(Client(), getattr(self.world, persona))

    def login(self, persona: str) -> Client:
        self.client = self.client_for(persona)
        return self.client
