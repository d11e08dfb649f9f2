"""The timeline: posts to one or more groups, event invitations with RSVP, help requests, read receipts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ids import PublicIdField


class SchoolTimelineSettings(models.Model):
    """A school's choices for its timeline; a school without a row has the defaults."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="timeline_settings"
    )
    class_parent_posts_need_approval = models.BooleanField(
        _("class parents' posts need approval"), default=True
    )
    photo_download_allowed = models.BooleanField(_("parents may download photos"), default=True)

    def __str__(self) -> str:
        return f"timeline settings of {self.school}"


class Post(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        EVENT = "event", _("Event invitation")
        HELP = "help", _("Help request")

    public_id = PublicIdField()
    # Indexed by post_school_feed_idx, which leads with the school: a plain index beside it would tempt
    # the planner away from reading the feed in order.
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    groups = models.ManyToManyField("schools.Group", through="PostGroup", related_name="posts")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ANNOUNCEMENT)
    title = models.CharField(_("title"), max_length=200)
    # Sanitized HTML (posts.text.clean_html); never rendered from anything else.
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the author wants it out; it goes out at this moment once approved and its files are ready.
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    awaiting_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Event invitations
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    # RSVP deadline of an event, sign-up deadline of a help request.
    respond_by = models.DateTimeField(_("answer before"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="post_feed_idx"),
            # The home feed reads the newest posts of the viewer's schools (see queries.get_feed).
            models.Index(fields=["school", "-published_at", "-id"], name="post_school_feed_idx"),
            # Pinned posts are few; without this the feed's pinned query reads every post there is.
            models.Index(fields=["-pinned_at"], condition=Q(pinned_at__isnull=False), name="post_pinned_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="event") | Q(starts_at__isnull=False), name="post_event_has_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="post_ends_after",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_event(self) -> bool:
        return self.kind == self.Kind.EVENT

    @property
    def is_help(self) -> bool:
        return self.kind == self.Kind.HELP

    @property
    def is_open(self) -> bool:
        """Whether answers (RSVP, sign-up) are still taken."""
        return self.respond_by is None or timezone.now() < self.respond_by


class PostGroup(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_groups")
    group = models.ForeignKey("schools.Group", on_delete=models.CASCADE, related_name="post_groups")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "post"], name="post_group_unique")]


class PostRead(models.Model):
    """A user opened a post. Counted per guardian ("read by 23 of 41 parents")."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_read_unique")]
        indexes = [models.Index(fields=["user", "post"], name="post_read_user_idx")]


class Rsvp(models.Model):
    """A family's answer to an event invitation; a family is a child, so both parents share one answer."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="rsvps")
    pupil = models.ForeignKey("schools.Pupil", on_delete=models.CASCADE, related_name="rsvps")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.CharField(_("answer"), max_length=5, choices=Answer.choices)
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    # Plain text for the event's author and the group's staff ("we come 10 minutes later"); screened.
    note = models.CharField(_("note"), max_length=300, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "pupil"], name="rsvp_one_per_family"),
            models.CheckConstraint(condition=Q(people__lte=20), name="rsvp_people_bounded"),
        ]


class HelpTask(models.Model):
    """One task of a help request ("drivers for the excursion") with a number of places."""

    public_id = PublicIdField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="tasks")
    name = models.CharField(_("task"), max_length=200)
    places = models.PositiveSmallIntegerField(_("places"))
    # Kept by a conditional UPDATE (taken < places) so no race can overfill the task.
    taken = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(taken__lte=models.F("places")), name="help_task_not_overfull"),
            models.CheckConstraint(condition=Q(places__gte=1), name="help_task_has_places"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_full(self) -> bool:
        return self.taken >= self.places

    @property
    def free(self) -> int:
        """Places nobody has taken yet."""
        return max(0, self.places - self.taken)


class HelpSignup(models.Model):
    task = models.ForeignKey(HelpTask, on_delete=models.CASCADE, related_name="signups")
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_signups"
    )
    signed_up_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "guardian"], name="help_signup_unique")]


class CalendarFeed(models.Model):
    """A user's secret calendar address; only the token's hash is stored, rotating it revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)


class GroupTimelineSettings(models.Model):
    """Comments and reactions per group: off unless the group's teachers (for the school-wide group: the
    director) turn them on."""

    group = models.OneToOneField("schools.Group", on_delete=models.CASCADE, related_name="timeline_settings")
    comments_enabled = models.BooleanField(_("comments and reactions"), default=False)


class Comment(models.Model):
    public_id = PublicIdField()
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_comments"
    )
    body = models.TextField(_("comment"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THUMBS = "thumbs", "👍"
        HEART = "heart", "❤️"
        CLAP = "clap", "👏"
        SMILE = "smile", "😊"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_reactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="reaction_one_per_user")]
