"""A lively timeline for the demo school: school news, class posts with photos, events, a help request.

Posts go through the real actions (posting rules, sanitizing, media processing); their dates are then
moved into the past so the feed reads like a few weeks of school life. Deterministic for a given date.
"""

import datetime
import random

import pyvips
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.clock import SCHOOL_TZ
from core.viewer import verified
from media.actions import check_upload, do_process_media
from posts.actions import Draft, check_pin_post, check_publish_post, check_rsvp, check_sign_up
from posts.comment_actions import check_comment, check_react, check_set_comments
from posts.models import Post, PostRead
from posts.queries import audience_of
from schools.models import ClassParent, Group, StaffRole, TeachingAssignment

PALETTES = [
    ((250, 190, 90), (200, 90, 40), (120, 60, 30)),  # autumn leaves
    ((140, 200, 240), (60, 130, 200), (240, 240, 250)),  # sky and sea
    ((150, 210, 120), (70, 150, 70), (250, 230, 120)),  # meadow
    ((250, 170, 200), (190, 90, 160), (255, 240, 200)),  # painting class
    ((255, 220, 140), (230, 120, 60), (90, 60, 120)),  # sunset
]


def photo_bytes(rng: random.Random, width: int = 1200, height: int = 900) -> bytes:
    """A pleasant abstract picture: a soft two-colour gradient with a few sunny circles."""
    top, bottom, accent = rng.choice(PALETTES)
    y = pyvips.Image.xyz(width, height)[1] / height
    bands = [y * (b - t) + t for t, b in zip(top, bottom, strict=True)]
    image = bands[0].bandjoin(bands[1:])
    for _ in range(rng.randrange(3, 7)):
        cx, cy, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, 220)
        xyz = pyvips.Image.xyz(width, height)
        distance = ((xyz[0] - cx) ** 2 + (xyz[1] - cy) ** 2) ** 0.5
        mask = (distance < r).ifthenelse(0.55, 0.0)
        image = image * (1 - mask) + mask * list(accent)
    return image.cast("uchar").copy(interpretation="srgb").jpegsave_buffer(Q=82)


def processed_photos(user, school, rng: random.Random, count: int, name: str) -> list:
    """Upload generated photos as the user and process them now (the worker would do it later)."""
    files = []
    for number in range(1, count + 1):
        upload = SimpleUploadedFile(f"{name}-{number}.jpg", photo_bytes(rng), content_type="image/jpeg")
        media = check_upload(acting_user=user, school=school, upload=upload)
        do_process_media(media_id=media.id)
        media.refresh_from_db()
        files.append(media)
    return files


class TimelineSeeder:
    def __init__(self, school, today: datetime.date):
        self.school, self.today = school, today
        self.rng = random.Random(f"posts-{today.isoformat()}")
        self.now = timezone.now()
        self.wide = Group.objects.get(school=school, kind=Group.Kind.SCHOOL)

    def at(self, days_ago: float, hour: int = 8, minute: int = 15) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=int(days_ago))
        return datetime.datetime.combine(day, datetime.time(hour, minute), SCHOOL_TZ)

    def ahead(self, days: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = self.today + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour, minute), SCHOOL_TZ)

    def post(self, author, groups, published, *, photos: int = 0, **fields) -> Post:
        media = processed_photos(author, self.school, self.rng, photos, "foto") if photos else []
        post = check_publish_post(
            acting_user=verified(author), groups=groups, draft=Draft(**fields), media_files=media
        )
        if post.published_at is not None:
            published = min(published, self.now)
            Post.objects.filter(id=post.id).update(
                published_at=published, created_at=published, publish_at=published
            )
            post.published_at = published
        return post

    def readers(self, post: Post, share: float, *, skip=()) -> None:
        """Let a share of the post's parents have read it (the persona's own reading is set apart)."""
        audience = list(
            audience_of(post).exclude(id__in=[user.id for user in skip]).values_list("id", flat=True)
        )
        chosen = self.rng.sample(audience, int(len(audience) * share))
        PostRead.objects.bulk_create(
            [PostRead(post=post, user_id=user_id, read_at=post.published_at) for user_id in chosen],
            ignore_conflicts=True,
        )

    def run(self) -> None:
        from accounts.models import User
        from demo.personas import PERSONAS

        people = {name: User.objects.filter(email=email).first() for name, email in PERSONAS.items()}
        director, teacher, parent = people["director"], people["teacher"], people["parent"]
        if not (director and teacher and parent):
            return
        klas = Group.objects.filter(
            id__in=TeachingAssignment.objects.filter(teacher=teacher).values("group_id"),
            school_year__isnull=False,
        ).order_by("-school_year__starts_on", "name")[0]
        colleague = (
            TeachingAssignment.objects.filter(group=klas)
            .exclude(teacher=teacher)
            .select_related("teacher")
            .first()
        )
        posts: list[Post] = []
        # The class has comments and reactions on; the school-wide group keeps them off (the default).
        check_set_comments(acting_user=verified(teacher), group=klas, enabled=True)

        # School news from the director, a few weeks of it.
        news = [
            (
                24,
                "Welkom terug na de herfstvakantie",
                "<p>Beste ouders en verzorgers,</p><p>We hopen dat iedereen heeft genoten van de vakantie. "
                "Deze week starten we met het project <b>Kunst om de hoek</b>. Wilt u oude kranten en "
                "lege wc-rolletjes meegeven? Die gebruiken we in de klassen.</p>",
            ),
            (
                17,
                "Nieuwe gymrooster vanaf maandag",
                "<p>Door de verbouwing van de sporthal verandert het gymrooster. De groepen 5 tot en met 8 "
                "gymmen voortaan op <b>dinsdag en donderdag</b>. Denk aan gymschoenen met witte zolen.</p>",
            ),
            (
                10,
                "Luizencontrole na de vakantie",
                "<p>Woensdag na de vakantie is er weer luizencontrole. Wilt u uw kind die dag <i>zonder gel "
                "en zonder vlechtjes</i> naar school laten komen? Dank aan alle luizenouders!</p>",
            ),
            (
                3,
                "Sint komt op school",
                "<p>Op 5 december komt Sinterklaas naar De Schakel. Om 8.30 uur verwelkomen we hem op het "
                "plein; ouders zijn van harte welkom. Meer informatie vindt u op "
                '<a href="https://www.sinterklaasjournaal.nl">het Sinterklaasjournaal</a>.</p>',
            ),
        ]
        for days, title, body in news:
            posts.append(self.post(director, [self.wide], self.at(days, 16, 30), title=title, body=body))
        studiedag = self.post(
            director,
            [self.wide],
            self.at(1, 12, 5),
            title="Studiedag vrijdag: alle leerlingen vrij",
            body="<p>Vrijdag hebben de leerkrachten een studiedag over begrijpend lezen. "
            "<b>Alle leerlingen zijn die dag vrij.</b> De BSO is gewoon open.</p>",
        )
        check_pin_post(acting_user=verified(director), post=studiedag, pinned=True)
        posts.append(studiedag)

        # The class: photos, an invitation, a help request.
        class_posts = [
            (
                21,
                "Herfstwandeling in het Panbos",
                "<p>Wat hebben we genoten! Kastanjes, paddenstoelen en natte laarzen. Bekijk de foto's.</p>",
                5,
            ),
            (
                14,
                "Ons schilderproject",
                "<p>De kinderen hebben geschilderd in de stijl van <i>Karel Appel</i>. "
                "De kunstwerken hangen in de gang, kom gerust kijken!</p>",
                4,
            ),
            (
                8,
                "Letterfeest",
                "<p>We kennen alle letters! Vandaag vierden we dat met een echt letterfeest.</p>",
                3,
            ),
            (
                2,
                "Proefjes met water",
                "<p>Drijven of zinken? De kinderen deden voorspellingen en testten ze. "
                "Vraag thuis maar eens wat er gebeurde met de sinaasappel.</p>",
                3,
            ),
        ]
        for days, title, body, photos in class_posts:
            author = colleague.teacher if colleague and days % 2 else teacher
            posts.append(
                self.post(author, [klas], self.at(days, 14, 45), title=title, body=body, photos=photos)
            )
        for days in (19, 12, 5):
            posts.append(
                self.post(
                    teacher,
                    [klas],
                    self.at(days, 7, 50),
                    title="Weekbrief",
                    body="<p>Deze week in de klas:</p><ul><li>rekenen: tellen tot 100</li>"
                    "<li>taal: woorden met <b>-eu-</b></li><li>vrijdag: bibliotheekbezoek</li></ul>",
                )
            )

        evening = self.post(
            teacher,
            [klas],
            self.at(6, 18, 0),
            kind="event",
            title="Kijkavond: kom kijken in de klas",
            body="<p>Uw kind laat u graag zien waar hij of zij aan werkt. "
            "Broertjes en zusjes zijn welkom.</p>",
            starts_at=self.ahead(9, 18, 30),
            ends_at=self.ahead(9, 19, 30),
            location="Lokaal " + klas.name,
            respond_by=self.ahead(6, 12),
        )
        posts.append(evening)
        christmas = self.post(
            director,
            [self.wide],
            self.at(4, 9, 0),
            kind="event",
            title="Kerstviering in de Pauluskerk",
            body="<p>Dit jaar vieren we Kerst met de hele school in de Pauluskerk. Na afloop is er warme "
            "chocolademelk op het plein.</p>",
            starts_at=self.ahead(25, 17, 0),
            ends_at=self.ahead(25, 18, 30),
            location="Pauluskerk, Kerkstraat 12",
            respond_by=self.ahead(18, 12),
        )
        posts.append(christmas)
        excursion_day = self.ahead(12, 9)
        excursion = self.post(
            teacher,
            [klas],
            self.at(3, 15, 20),
            kind="help",
            title=f"Hulp gezocht: excursie naar Naturalis op {excursion_day.day} {excursion_day:%B}",
            body="<p>Voor de excursie zoeken we ouders die willen rijden en ouders die in het museum een "
            "groepje begeleiden. Rijders: zorg voor genoeg gordels en zittingverhogers.</p>",
            respond_by=self.ahead(9, 12),
            tasks=[
                ("Rijden naar Naturalis (4 kinderen per auto)", 4),
                ("Groepje begeleiden in het museum", 3),
            ],
        )
        posts.append(excursion)

        # A class parent's post, held until a teacher approves it.
        class_parent = people.get("classparent")
        parent_group = ClassParent.objects.filter(guardian=class_parent).select_related("group").first()
        if class_parent and parent_group:
            self.post(
                class_parent,
                [parent_group.group],
                self.now,
                title="Traktatierooster december",
                body="<p>Hierbij het rooster voor het fruit op vrijdag. "
                "Kunt u niet? Ruil gerust onderling.</p>",
            )

        # Answers and helpers from other families; the demo parent leaves room to try it.
        others = [u for u in audience_of(evening).exclude(id=parent.id).order_by("id")]
        notes = ["We komen 10 minuten later, na de zwemles.", "Onze jongste is allergisch voor noten."]
        for index, other in enumerate(self.rng.sample(others, min(14, len(others)))):
            check_rsvp(
                acting_user=other,
                post=evening,
                answer=("yes", "yes", "maybe", "no")[index % 4],
                people=2,
                # None keeps a note the child's other parent already wrote (both parents may be sampled).
                note=notes[index] if index < len(notes) else None,
            )
        drivers = excursion.tasks.order_by("position")
        helpers = [u for u in others if u.id != getattr(class_parent, "id", None)]
        for other in helpers[:2]:
            check_sign_up(acting_user=other, task=drivers[0])
        if helpers[2:3]:
            check_sign_up(acting_user=helpers[2], task=drivers[1])

        # A few warm words under the class photos.
        walk = next(post for post in posts if post.title.startswith("Herfstwandeling"))
        for other, text, kind in zip(
            helpers[3:6],
            [
                "Wat een mooie foto's! Thuis hoorden we alles over de paddenstoelen.",
                "Dank jullie wel, juf!",
                "",
            ],
            ["heart", "thumbs", "clap"],
            strict=True,
        ):
            if text:
                check_comment(acting_user=other, post=walk, body=text)
            check_react(acting_user=other, post=walk, kind=kind)

        # Reading: most parents read the older posts; the demo parent has a few new ones waiting.
        for post in posts:
            if post.published_at is None:
                continue
            age = (self.now - post.published_at).days
            self.readers(post, 0.85 if age > 7 else 0.45 if age > 2 else 0.2, skip=[parent])
            if age > 4:
                PostRead.objects.get_or_create(
                    post=post, user=parent, defaults={"read_at": post.published_at}
                )


def seed(*, school, today: datetime.date) -> None:
    """Fill De Schakel's timeline (called once by the demo seed)."""
    if Post.objects.filter(school=school).exists():
        return
    if not StaffRole.objects.filter(school=school, role=StaffRole.Role.DIRECTOR).exists():
        return
    TimelineSeeder(school, today).run()
