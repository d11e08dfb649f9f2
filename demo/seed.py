"""The demo board: "De Schakel" (about 220 pupils) and "De Regenboog" (about 40), fictional and repeatable.

Everything comes from one `random.Random` with a fixed seed, so every run builds the same school for
the same date. All accounts share the documented demo password; staff have a confirmed TOTP device.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, User, hash_token
from core.clock import school_today, school_year_bounds
from demo.names import BACKGROUNDS, Background
from demo.personas import PERSONAS
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

DEMO_PASSWORD = "schoolplein-demo"
BOARD_NAME = "Stichting Primair Onderwijs Rijnland"
SEED = 2026
Relation = Guardianship.Relation
Role = StaffRole.Role


@dataclass(frozen=True)
class ClassSpec:
    name: str
    grades: tuple[int, ...]  # "groep" numbers of the pupils in it
    size: int
    teachers: int = 1  # 2 for a duo


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    city: str
    phone: str
    domain: str
    classes: tuple[ClassSpec, ...]
    brin: str  # the school's code in the pupil administration (99Z… is the range the standard's examples use)


SCHAKEL = SchoolSpec(
    name="De Schakel",
    city="Rijnsburg",
    phone="071 402 13 37",
    domain="deschakel.example",
    brin="99ZZ00",
    classes=(
        ClassSpec("Groep 1/2a", (1, 2), 26, teachers=2),
        ClassSpec("Groep 1/2b", (1, 2), 25),
        ClassSpec("Groep 3", (3,), 25, teachers=2),
        ClassSpec("Groep 4", (4,), 24),
        ClassSpec("Groep 5", (5,), 22),
        ClassSpec("Groep 5/6", (5, 6), 22, teachers=2),
        ClassSpec("Groep 6", (6,), 24),
        ClassSpec("Groep 7", (7,), 26),
        ClassSpec("Groep 8", (8,), 26),
    ),
)
REGENBOOG = SchoolSpec(
    name="De Regenboog",
    city="Leiden",
    phone="071 514 22 80",
    domain="deregenboog.example",
    brin="99ZY00",
    classes=(
        ClassSpec("Groep 1/2", (1, 2), 13),
        ClassSpec("Groep 3/4/5", (3, 4, 5), 14),
        ClassSpec("Groep 6/7/8", (6, 7, 8), 14),
    ),
)


@dataclass
class BuiltSchool:
    spec: SchoolSpec
    school: School
    year: SchoolYear
    last_year: SchoolYear
    classes: dict[str, Group] = field(default_factory=dict)
    last_classes: dict[str, Group] = field(default_factory=dict)
    # Open places (class name, groep number) still to be filled with pupils.
    seats: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class SeedResult:
    created: bool
    pupils: int = 0
    guardians: int = 0
    staff: int = 0


def ascii_slug(text: str) -> str:
    """The local part of a fictional address: "Yılmaz" -> "yilmaz", "van der Plas" -> "vanderplas"."""
    text = text.replace("ı", "i").replace("ł", "l").replace("Ł", "L")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def group_key(name: str) -> str:
    return f"GR-{ascii_slug(name)}"


def unique(objects: list) -> list:
    """The objects without repeats, in order (unsaved model instances cannot be hashed)."""
    return list({id(obj): obj for obj in objects}.values())


def seed_demo(*, today: datetime.date | None = None, with_content: bool = True) -> SeedResult:
    """Build the demo board unless it exists; a second run changes nothing.

    The apps' content (posts, messages, …) goes through their actions, which judge "now" by the real
    clock; tests that seed another day leave it out with `with_content=False`.
    """
    if Board.objects.filter(name=BOARD_NAME).exists():
        return SeedResult(created=False)
    today = today or school_today()
    with transaction.atomic():
        result = DemoSeeder(today).run()
        if with_content:
            seed_app_content(today=today)
        return result


def seed_app_content(*, today: datetime.date) -> None:
    """Let each app add its own demo content (posts, messages, absences…) to the demo school.

    An app opts in with a module `<app>/demo_content.py` that has `seed(*, school, today)`; the school is
    De Schakel, with its people already in place.
    """
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    school = School.objects.get(name=SCHAKEL.name, board__name=BOARD_NAME)
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo_content"
        if config.name != "demo" and find_spec(module_name) is not None:
            import_module(module_name).seed(school=school, today=today)


class DemoSeeder:
    def __init__(self, today: datetime.date):
        self.rng = random.Random(SEED)
        self.today = today
        self.now = timezone.now()
        self.password = make_password(DEMO_PASSWORD)  # hashed once: the seed must stay fast
        self.emails: set[str] = set()
        self.users: list[User] = []
        self.pupils: list[Pupil] = []
        self.enrolments: list[tuple[Pupil, Group, int]] = []  # with the pupil's grade that year
        self.guardianships: list[tuple[User, Pupil, str]] = []
        self.teaching: list[tuple[User, Group]] = []
        self.staff_roles: list[tuple[User, School, str]] = []
        self.family_guardians: list[User] = []  # guardians of randomly made families
        self.personas: dict[str, User] = {}
        self.kids: dict[int, list[tuple[int, str]]] = {}  # id(first guardian) -> (groep, first name)

    # --- people -------------------------------------------------------------------------------------

    def background(self) -> tuple[str, Background]:
        keys = list(BACKGROUNDS)
        key = self.rng.choices(keys, weights=[BACKGROUNDS[k].weight for k in keys])[0]
        return key, BACKGROUNDS[key]

    def email(self, local: str, domain: str) -> str:
        candidate, n = f"{local}@{domain}", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def phone(self) -> str:
        digits = "".join(str(self.rng.randrange(10)) for _ in range(8))
        return f"06 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"

    def user(self, first: str, last: str, *, email: str | None = None, invited: bool = True) -> User:
        if email is None:
            domain = self.rng.choice(["example.com", "example.net", "example.org"])
            email = self.email(f"{ascii_slug(first)}.{ascii_slug(last)}", domain)
        else:
            self.emails.add(email)
        joined = self.now - datetime.timedelta(days=self.rng.randrange(20, 900))
        user = User(
            email=email,
            first_name=first,
            last_name=last,
            phone=self.phone(),
            password=self.password,
            date_joined=joined,
            activated_at=joined + datetime.timedelta(hours=self.rng.randrange(1, 72)),
        )
        self.users.append(user)
        return user

    def adult(self, bg: Background, *, woman: bool, last: str | None = None) -> User:
        first = self.rng.choice(bg.women if woman else bg.men)
        return self.user(first, last or self.rng.choice(bg.surnames))

    def staff(self, built: BuiltSchool, role: str, first: str, last: str, email: str | None = None) -> User:
        local = f"{ascii_slug(first)[0]}.{ascii_slug(last)}"
        user = self.user(first, last, email=email or self.email(local, built.spec.domain))
        self.staff_roles.append((user, built.school, role))
        return user

    def random_staff(self, built: BuiltSchool, role: str) -> User:
        _, bg = self.background()
        woman = self.rng.random() < 0.75  # most primary school teachers are women
        return self.staff(
            built, role, self.rng.choice(bg.women if woman else bg.men), self.rng.choice(bg.surnames)
        )

    # --- pupils -------------------------------------------------------------------------------------

    def take_seat(
        self, built: BuiltSchool, class_name: str | None = None, *, avoid=()
    ) -> tuple[str, int] | None:
        """A free place, in `class_name` if given; siblings get other groep numbers where possible."""
        fits = [i for i, (name, _) in enumerate(built.seats) if class_name in (None, name)]
        best = [i for i in fits if built.seats[i][1] not in avoid] or fits
        return built.seats.pop(best[-1]) if best else None

    def child(self, built: BuiltSchool, bg: Background, last: str, *guardians: tuple[User, str], seat=None):
        siblings = self.kids.setdefault(id(guardians[0][0]), [])
        seat = seat or self.take_seat(built, avoid={grade for grade, _ in siblings})
        if seat is None:
            return None
        class_name, grade = seat
        names = bg.girls if self.rng.random() < 0.5 else bg.boys
        first = self.rng.choice([name for name in names if name not in {n for _, n in siblings}])
        siblings.append((grade, first))
        start = built.year.starts_on.year
        born = datetime.date(start - grade - 4, 10, 2) + datetime.timedelta(days=self.rng.randrange(365))
        pupil = Pupil(
            school=built.school,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            external_key=f"{len(self.pupils) + 1:05d}",
        )
        self.pupils.append(pupil)
        self.enrolments.append((pupil, built.classes[class_name], grade))
        if grade > 1:
            self.enrolments.append((pupil, self.last_year_class(built, class_name, grade - 1), grade - 1))
        self.guardianships.extend((guardian, pupil, relation) for guardian, relation in guardians)
        return pupil

    def last_year_class(self, built: BuiltSchool, class_name: str, grade: int) -> Group:
        """Last year's class of a pupil now in `class_name`: in a combination class they stay put."""
        specs = built.spec.classes
        if any(spec.name == class_name and grade in spec.grades for spec in specs):
            return built.last_classes[class_name]
        plain = [spec.name for spec in specs if spec.grades == (grade,)]
        return built.last_classes[
            self.rng.choice(plain or [spec.name for spec in specs if grade in spec.grades])
        ]

    def family(self, built: BuiltSchool, *, children: int | None = None, other: BuiltSchool | None = None):
        """A household with a random make-up; with `other`, the second child goes to that school."""
        _, bg = self.background()
        surname = self.rng.choice(bg.surnames)
        kind = self.rng.choices(
            ["parents", "single", "divorced", "mothers", "foster"], weights=[64, 8, 23, 3, 2]
        )[0]
        if other is not None:
            kind = "parents"
        if children is None:
            children = self.rng.choices([1, 2, 3, 4], weights=[88, 9, 2, 1])[0]
        if kind == "parents":
            father = self.adult(bg, woman=False, last=surname)
            mother = self.adult(bg, woman=True, last=surname if self.rng.random() < 0.4 else None)
            guardians = [(mother, Relation.MOTHER), (father, Relation.FATHER)]
        elif kind == "single":
            woman = self.rng.random() < 0.8
            parent = self.adult(bg, woman=woman, last=surname)
            guardians = [(parent, Relation.MOTHER if woman else Relation.FATHER)]
        elif kind == "mothers":
            guardians = [
                (self.adult(bg, woman=True, last=surname), Relation.PARENT),
                (self.adult(bg, woman=True), Relation.PARENT),
            ]
        elif kind == "foster":
            foster_bg = BACKGROUNDS["dutch"]
            last = self.rng.choice(foster_bg.surnames)
            guardians = [
                (self.adult(foster_bg, woman=True, last=last), Relation.FOSTER),
                (self.adult(foster_bg, woman=False, last=last), Relation.FOSTER),
            ]
        else:
            return self.divorced_family(built, bg, surname, children)
        self.family_guardians.extend(guardian for guardian, _ in guardians)
        for n in range(children):
            self.child(other if n == 1 and other else built, bg, surname, *guardians)

    def divorced_family(self, built: BuiltSchool, bg: Background, surname: str, children: int):
        """Separated parents: two households, sometimes new partners and a half-sibling."""
        father = self.adult(bg, woman=False, last=surname)
        mother = self.adult(bg, woman=True)
        # The father comes first so that his children from both relationships get different names.
        guardians = [(father, Relation.FATHER), (mother, Relation.MOTHER)]
        stepmother = None
        if self.rng.random() < 0.6:
            stepmother = self.adult(bg, woman=True)
            guardians.append((stepmother, Relation.OTHER))
        if self.rng.random() < 0.4:
            guardians.append((self.adult(bg, woman=False), Relation.OTHER))
        for _ in range(children):
            self.child(built, bg, surname, *guardians)
        if stepmother is not None and self.rng.random() < 0.5:
            self.child(built, bg, surname, (father, Relation.FATHER), (stepmother, Relation.MOTHER))
        self.family_guardians.extend(guardian for guardian, _ in guardians)

    # --- the school ---------------------------------------------------------------------------------

    def school(self, board: Board, spec: SchoolSpec) -> BuiltSchool:
        starts, ends = school_year_bounds(self.today)
        school = School.objects.create(
            board=board,
            name=spec.name,
            city=spec.city,
            phone=spec.phone,
            email=f"info@{spec.domain}",
            external_key=spec.brin,
        )
        year = SchoolYear.objects.create(
            school=school, name=f"{starts.year}-{ends.year}", starts_on=starts, ends_on=ends
        )
        last_year = SchoolYear.objects.create(
            school=school,
            name=f"{starts.year - 1}-{starts.year}",
            starts_on=starts.replace(year=starts.year - 1),
            ends_on=ends.replace(year=ends.year - 1),
        )
        built = BuiltSchool(spec=spec, school=school, year=year, last_year=last_year)
        Group.objects.create(school=school, kind=Group.Kind.SCHOOL, name=spec.name)
        # Keys as the pupil administration gives them, so the demo's roster export matches the school.
        groups = Group.objects.bulk_create(
            Group(school=school, school_year=year, name=c.name, external_key=group_key(c.name))
            for c in spec.classes
        )
        built.classes = {group.name: group for group in groups}
        # Last year's classes are saved only if a pupil of this year was in them (last year's
        # Groep 8 has left the school).
        built.last_classes = {
            c.name: Group(school=school, school_year=last_year, name=c.name, external_key=group_key(c.name))
            for c in spec.classes
        }
        for c in spec.classes:
            built.seats.extend((c.name, c.grades[n % len(c.grades)]) for n in range(c.size))
        self.rng.shuffle(built.seats)
        return built

    def assign_teachers(self, built: BuiltSchool, fixed: dict[str, list[User]]) -> None:
        """Teachers this year (duos where the spec says so) and, rotated, for last year's classes."""
        teachers: list[User] = []
        for spec in built.spec.classes:
            staff = fixed.get(spec.name) or [
                self.random_staff(built, Role.TEACHER) for _ in range(spec.teachers)
            ]
            teachers.extend(staff)
            self.teaching.extend((teacher, built.classes[spec.name]) for teacher in staff)
        for n, spec in enumerate(built.spec.classes):
            self.teaching.append((teachers[(n + 3) % len(teachers)], built.last_classes[spec.name]))

    def run(self) -> SeedResult:
        board = Board.objects.create(name=BOARD_NAME)
        schakel, regenboog = self.school(board, SCHAKEL), self.school(board, REGENBOOG)

        office = self.staff(schakel, Role.OFFICE, "Petra", "Zandbergen", PERSONAS["office"])
        self.staff(schakel, Role.DIRECTOR, "Ingrid", "van der Plas", PERSONAS["director"])
        teacher = self.staff(schakel, Role.TEACHER, "Anouk", "de Graaf", PERSONAS["teacher"])
        duo = self.staff(schakel, Role.TEACHER, "Youssef", "El Idrissi")
        jeroen = self.staff(schakel, Role.TEACHER, "Jeroen", "Hogewoning")
        self.assign_teachers(schakel, {"Groep 3": [teacher, duo], "Groep 7": [jeroen]})
        self.staff(regenboog, Role.DIRECTOR, "Hanneke", "Overvliet")
        self.staff(regenboog, Role.OFFICE, "Marja", "Hoogervorst")
        self.assign_teachers(regenboog, {})

        self.persona_families(schakel)
        # Two teachers are parents at their own school as well.
        for staff_user, partner_name, bg, class_name in [
            (duo, "Samira", BACKGROUNDS["moroccan"], "Groep 1/2b"),
            (jeroen, "Linda", BACKGROUNDS["dutch"], "Groep 4"),
        ]:
            partner = self.user(partner_name, staff_user.last_name)
            parents = [(staff_user, Relation.FATHER), (partner, Relation.MOTHER)]
            self.child(schakel, bg, staff_user.last_name, *parents, seat=self.take_seat(schakel, class_name))
        self.family(schakel, children=2, other=regenboog)  # one child at each school of the board
        while schakel.seats:
            self.family(schakel)
        while regenboog.seats:
            self.family(regenboog)

        class_parents = self.class_parents(schakel)
        invitees = self.not_yet_active()
        self.save(class_parents)
        self.invite(invitees, school=schakel.school, sender=office)
        return SeedResult(
            created=True,
            pupils=Enrolment.objects.filter(school_year=schakel.year).count(),
            guardians=Guardianship.objects.filter(pupil__school=schakel.school)
            .values("guardian")
            .distinct()
            .count(),
            staff=StaffRole.objects.filter(school=schakel.school).values("user").distinct().count(),
        )

    def persona_families(self, schakel: BuiltSchool) -> None:
        """The parent persona (Groep 3 and Groep 6) and the klassenouder of Groep 5, each with a partner."""
        families = [
            ("parent", "Sanne", "Mark", "dutch", "Verhoeven", [("Groep 3", "Daan"), ("Groep 6", "Lotte")]),
            (
                "classparent",
                "Fatma",
                "Mehmet",
                "turkish",
                "Yılmaz",
                [("Groep 5", "Elif"), ("Groep 1/2a", "Emir")],
            ),
        ]
        for persona, mother, father, background, last, children in families:
            persona_user = self.user(mother, last, email=PERSONAS[persona])
            parents = [(persona_user, Relation.MOTHER), (self.user(father, last), Relation.FATHER)]
            for class_name, first in children:
                seat = self.take_seat(schakel, class_name)
                self.child(schakel, BACKGROUNDS[background], last, *parents, seat=seat).first_name = first
            self.personas[persona] = persona_user

    def class_parents(self, schakel: BuiltSchool) -> list[ClassParent]:
        """One or two klassenouders per class, chosen among the mothers and fathers in it."""
        chosen = [ClassParent(guardian=self.personas["classparent"], group=schakel.classes["Groep 5"])]
        parents_of: dict[int, list[User]] = {}
        for guardian, pupil, relation in self.guardianships:
            if relation in (Relation.MOTHER, Relation.FATHER):
                parents_of.setdefault(id(pupil), []).append(guardian)
        parents_in: dict[str, list[User]] = {}
        for pupil, group, _grade in self.enrolments:
            if group.school_year_id == schakel.year.pk:
                parents_in.setdefault(group.name, []).extend(parents_of.get(id(pupil), []))
        for spec in schakel.spec.classes:
            if spec.name == "Groep 5":
                continue
            candidates = unique(parents_in[spec.name])
            for guardian in self.rng.sample(candidates, k=self.rng.choice([1, 2])):
                chosen.append(ClassParent(guardian=guardian, group=schakel.classes[spec.name]))
        return chosen

    def not_yet_active(self) -> list[User]:
        """Ten guardians who have not accepted an invitation yet: no password, not activated."""
        chosen = self.rng.sample(unique(self.family_guardians), k=10)
        for user in chosen:
            user.password = make_password(None)
            user.activated_at = None
        return chosen

    def invite(self, users: list[User], *, school: School, sender: User) -> None:
        """Four never invited, five with an open invitation, one whose invitation expired."""
        invitations = []
        for n, user in enumerate(users[4:]):
            sent = self.now - datetime.timedelta(days=20 if n == 0 else n + 1)
            invitations.append(
                Invitation(
                    user=user,
                    school=school,
                    token_hash=hash_token(f"demo-invitation-{user.email}-{self.rng.random()}"),
                    created_by=sender,
                    created_at=sent,
                    sent_at=sent,
                    expires_at=sent + datetime.timedelta(days=14),
                )
            )
        Invitation.objects.bulk_create(invitations)

    def save(self, class_parents: list[ClassParent]) -> None:
        User.objects.bulk_create(self.users)
        Pupil.objects.bulk_create(self.pupils)
        Group.objects.bulk_create(unique([group for _, group, _ in self.enrolments if group.pk is None]))
        Enrolment.objects.bulk_create(
            Enrolment(pupil=pupil, group=group, school_year_id=group.school_year_id, grade=grade)
            for pupil, group, grade in self.enrolments
        )
        Guardianship.objects.bulk_create(
            Guardianship(guardian=guardian, pupil=pupil, relation=relation)
            for guardian, pupil, relation in self.guardianships
        )
        StaffRole.objects.bulk_create(
            StaffRole(
                user=u,
                school=s,
                role=r,
                external_key=f"LK-{ascii_slug(u.email)}" if r == Role.TEACHER else "",
            )
            for u, s, r in self.staff_roles
        )
        TeachingAssignment.objects.bulk_create(
            TeachingAssignment(teacher=teacher, group=group) for teacher, group in self.teaching if group.pk
        )
        ClassParent.objects.bulk_create(class_parents)
        staff = unique([user for user, _, _ in self.staff_roles])
        TOTPDevice.objects.bulk_create(
            TOTPDevice(user=user, name="Demo", confirmed=True, key=self.rng.randbytes(20).hex())
            for user in staff
        )
